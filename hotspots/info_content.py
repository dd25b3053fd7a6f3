"""The first text of the information pages: what a fresh site shows until an editor changes it.
Plain constants, so the data migration may import them. The privacy page's facts about what is
stored and for how long are drawn by its template from the settings, not written here."""

INFO_PAGES = [
    {
        "kind": "about",
        "slug": "om",
        "title": "Om Digihjælp og kontakt",
        "title_en": "About and contact",
        "body": (
            "<p>Digihjælp viser, hvor du kan få gratis hjælp med MitID, Digital Post, borger.dk, "
            "netbank og din telefon, og lader dig booke en tid på nettet eller med en SMS.</p>"
            "<p>Stederne drives af kommuner, biblioteker, væresteder og frivillige foreninger. "
            "Har du spørgsmål til en tid, så ring til stedet. Telefonnummeret står på stedets "
            "side.</p>"
            "<h2>Kontakt</h2><p>Spørgsmål om hjemmesiden: skriv til "
            '<a href="mailto:digihjaelp@example.dk">digihjaelp@example.dk</a>.</p>'
        ),
        "body_en": (
            "<p>Digihjælp shows where you can get free help with MitID, Digital Post, "
            "borger.dk, net banking and your phone, and lets you book a time on the web or by "
            "SMS.</p><p>The places are run by municipalities, libraries, drop-in centres and "
            "voluntary organisations. If you have a question about a time, call the place. Its "
            "phone number is on its page.</p><h2>Contact</h2><p>Questions about the website: "
            'write to <a href="mailto:digihjaelp@example.dk">digihjaelp@example.dk</a>.</p>'
        ),
    },
    {
        "kind": "privacy",
        "slug": "privatliv",
        "title": "Sådan bruger vi dine oplysninger",
        "title_en": "How we use your information",
        "body": (
            "<h2>Hvem har ansvaret</h2><p>Den kommune eller forening, der driver stedet, har "
            "ansvaret for dine oplysninger (dataansvarlig).</p>"
            "<h2>Hvem du kan spørge</h2><p>Vil du vide, hvad vi har gemt om dig, eller have det "
            "slettet før tid, så skriv til "
            '<a href="mailto:digihjaelp@example.dk">digihjaelp@example.dk</a> eller spørg på '
            "stedet. Du kan også klage til Datatilsynet.</p>"
        ),
        "body_en": (
            "<h2>Who is responsible</h2><p>The municipality or organisation that runs the place "
            "is responsible for your information (the data controller).</p>"
            "<h2>Who to ask</h2><p>To know what we have stored about you, or to have it deleted "
            'sooner, write to <a href="mailto:digihjaelp@example.dk">digihjaelp@example.dk</a> '
            "or ask at the place. You can also complain to Datatilsynet, the Danish data "
            "protection agency.</p>"
        ),
    },
    {
        "kind": "accessibility",
        "slug": "tilgaengelighed",
        "title": "Tilgængelighedserklæring",
        "title_en": "Accessibility statement",
        "body": (
            "<p>Vi vil gerne have, at alle kan bruge Digihjælp. Siden er bygget med Det Fælles "
            "Designsystem, virker uden JavaScript, kan forstørres, og kan bruges med tastatur "
            "og skærmlæser. Vi tester den mod WCAG 2.2 niveau AA.</p>"
            "<p>Du kan altid booke med en SMS i stedet for på nettet.</p>"
            "<h2>Fandt du et problem?</h2><p>Skriv til "
            '<a href="mailto:digihjaelp@example.dk">digihjaelp@example.dk</a>. Du kan også '
            "klage til Digitaliseringsstyrelsen.</p>"
        ),
        "body_en": (
            "<p>We want everyone to be able to use Digihjælp. The site is built with the Danish "
            "common design system (DKFDS), works without JavaScript, can be zoomed, and works "
            "with a keyboard and a screen reader. We test it against WCAG 2.2 level AA.</p>"
            "<p>You can always book by SMS instead of on the web.</p>"
            "<h2>Did you find a problem?</h2><p>Write to "
            '<a href="mailto:digihjaelp@example.dk">digihjaelp@example.dk</a>. You can also '
            "complain to the Agency for Digital Government.</p>"
        ),
    },
    {
        "kind": "sitemap",
        "slug": "oversigt",
        "title": "Oversigt over siden",
        "title_en": "Sitemap",
        "body": "",
        "body_en": "",
    },
    {
        "kind": "open_data",
        "slug": "aabne-data",
        "title": "Åbne data",
        "title_en": "Open data",
        "body": (
            "<p>Stederne, deres åbningstider og tider er åbne data. Andre hjemmesider og "
            "kommuner må gerne vise dem.</p>"
        ),
        "body_en": (
            "<p>The places, their opening hours and times are open data. Other websites and "
            "municipalities are welcome to show them.</p>"
        ),
    },
]
