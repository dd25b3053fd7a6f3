// Buttons marked data-print open the browser's print dialogue (posters, call lists). A file,
// not an inline script: the Content-Security-Policy allows only our own script files.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
