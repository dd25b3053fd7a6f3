"""The table behind test_tenancy_url_walk.py: for every admin and staff URL, how to fill it with
organisation A's objects when B's staff request it.

`kwargs` maps each URL keyword to a key of the fixture's objects of A (its pk is used) or to a
literal (`Lit`). `query` is added to the GET. `post=False` only where a POST would act on the
requester's own session or account (logging out, their own profile): those are still requested
with GET. `server_error` names a known 500 that is not a tenancy matter (it still must not
show A's data or change anything). `own_rows=True` where the view may legitimately create rows of the requester's own
(e.g. a caseworker profile on first visit); the database check is then skipped for that URL
but not the content check.

A URL name missing here fails the walk: every new staff URL needs a tenancy case."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lit:
    value: object


@dataclass(frozen=True)
class Case:
    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    post: bool = True
    own_rows: bool = False
    server_error: str = ""  # a known 500 that is no tenancy matter, with whose it is


def page(key="hotspot"):
    return Case(kwargs={"page_id": key})


NOTHING = Case()

CASES: dict[str, Case] = {
    # --- Ours -------------------------------------------------------------------------------
    "bookings_admin:index": Case(query={"organisation": "org"}),
    "bookings_admin:mark_attendance": Case(kwargs={"booking_id": "booking"}),
    "bookings_admin:cancel": Case(kwargs={"booking_id": "booking"}),
    "bookings_admin:choose_slot": Case(query={"organisation": "org"}),
    "bookings_admin:book": Case(kwargs={"slot_id": "slot"}),
    "bookings_admin:day_csv": Case(kwargs={"day": "day"}, query={"organisation": "org"}),
    "bookings_admin:day_print": Case(kwargs={"day": "day"}, query={"organisation": "org"}),
    "volunteers_admin:rota": Case(query={"organisation": "org", "hotspot": "hotspot"}),
    "volunteers_admin:volunteers": NOTHING,
    "volunteers_admin:invite": NOTHING,
    "volunteers_admin:edit_volunteer": Case(
        kwargs={"volunteer_id": "volunteer", "organisation_id": "org"}
    ),
    "volunteers_admin:set_need": Case(kwargs={"session_id": "session"}),
    "sms_admin:booking_history": Case(kwargs={"booking_id": "booking"}),
    "sms_admin:access_log": NOTHING,
    "sms_admin:needs_person": NOTHING,
    "sms_admin:messages": Case(query={"booking": Lit("REF")}),
    "sms_admin:simulator": Case(query={"phone": Lit("PHONE")}),
    "crisis_admin:index": NOTHING,
    "crisis_admin:new": NOTHING,
    "crisis_admin:detail": Case(kwargs={"pk": "crisis"}),
    "crisis_admin:progress": Case(kwargs={"pk": "crisis"}),
    "crisis_admin:call_list": Case(kwargs={"pk": "crisis"}),
    "crisis_admin:end": Case(kwargs={"pk": "crisis"}),
    "reports_admin:dashboard": Case(query={"organisation": "org"}),
    "reports_admin:csv": Case(query={"organisation": "org"}),
    "meetings_admin:day": Case(query={"all": Lit("1")}),
    "meetings_admin:attendance": Case(kwargs={"booking_id": "meeting_booking"}),
    "meetings_admin:switch_mode": Case(kwargs={"booking_id": "meeting_booking"}),
    "meetings_admin:join": Case(kwargs={"booking_id": "meeting_booking"}),
    "meetings_admin:invite": NOTHING,
    # The caseworker's own notice settings: created for the requester on first visit.
    "meetings_admin:profile": Case(post=False, own_rows=True),
    # Sets only the requester's own notice number (a POST would write the requester's row).
    "meetings_admin:notice_number": Case(post=False, own_rows=True),
    "meetings_admin:list": Case(kwargs={"kind": Lit("availability")}),
    "meetings_admin:add": Case(kwargs={"kind": Lit("locations")}),
    "meetings_admin:edit": Case(kwargs={"kind": Lit("locations"), "pk": "location"}),
    "ops_admin:background_work": NOTHING,
    "hotspot_poster": page("draft"),
    "hotspot_poster_pdf": page("draft"),
    # --- Wagtail: pages -----------------------------------------------------------------------
    "wagtailadmin_home": NOTHING,
    "admin/test404/": NOTHING,
    "admin/^.*/$": NOTHING,
    "wagtailadmin_error_test": Case(
        post=False, server_error="Wagtail's deliberate error-reporting test page"
    ),
    "wagtailadmin_explore_root": NOTHING,
    "wagtailadmin_explore": Case(kwargs={"parent_page_id": "org"}),
    "wagtailadmin_explore_results": Case(kwargs={"parent_page_id": "org"}),
    "wagtail_bulk_action": Case(
        kwargs={
            "app_label": Lit("wagtailcore"),
            "model_name": Lit("page"),
            "action": Lit("delete"),
        },
        query={"id": "hotspot"},
    ),
    "wagtailadmin_pages:add": Case(
        kwargs={
            "content_type_app_name": Lit("hotspots"),
            "content_type_model_name": Lit("hotspotpage"),
            "parent_page_id": "org",
        }
    ),
    "wagtailadmin_pages:preview_on_add": Case(
        kwargs={
            "content_type_app_name": Lit("hotspots"),
            "content_type_model_name": Lit("hotspotpage"),
            "parent_page_id": "org",
        }
    ),
    "wagtailadmin_pages:type_use": Case(
        kwargs={
            "content_type_app_name": Lit("hotspots"),
            "content_type_model_name": Lit("hotspotpage"),
        },
    ),
    "wagtailadmin_pages:type_use_results": Case(
        kwargs={
            "content_type_app_name": Lit("hotspots"),
            "content_type_model_name": Lit("hotspotpage"),
        },
    ),
    # The POSTed parent is re-shown in the page chooser widget, title included.
    "wagtailadmin_pages:choose_parent": Case(
        kwargs={"app_label": Lit("hotspots"), "model_name": Lit("hotspotpage")},
        query={"parent_page": "org"},
    ),
    "wagtailadmin_pages:usage": page(),
    "wagtailadmin_pages:edit": page(),
    "wagtailadmin_pages:preview_on_edit": page(),
    "wagtailadmin_pages:view_draft": page("draft"),
    "wagtailadmin_pages:add_subpage": Case(kwargs={"parent_page_id": "org"}),
    "wagtailadmin_pages:delete": page(),
    "wagtailadmin_pages:unpublish": page(),
    "wagtailadmin_pages:convert_alias": page(),
    "wagtailadmin_pages:search": Case(query={"q": Lit("Dokk1")}),
    "wagtailadmin_pages:search_results": Case(query={"q": Lit("Dokk1")}),
    "wagtailadmin_pages:move": Case(kwargs={"page_to_move_id": "hotspot"}),
    "wagtailadmin_pages:move_confirm": Case(
        kwargs={"page_to_move_id": "hotspot", "destination_id": "b_org"}
    ),
    "wagtailadmin_pages:set_page_position": Case(
        kwargs={"page_to_move_id": "hotspot"}, query={"position": Lit("0")}
    ),
    "wagtailadmin_pages:copy": page(),
    "wagtailadmin_pages:workflow_action": Case(
        kwargs={"page_id": "hotspot", "action_name": Lit("approve"), "task_state_id": Lit(1)}
    ),
    "wagtailadmin_pages:collect_workflow_action_data": Case(
        kwargs={"page_id": "hotspot", "action_name": Lit("approve"), "task_state_id": Lit(1)}
    ),
    "wagtailadmin_pages:confirm_workflow_cancellation": page(),
    "wagtailadmin_pages:workflow_preview": Case(kwargs={"page_id": "draft", "task_id": "task"}),
    "wagtailadmin_pages:set_privacy": page(),
    "wagtailadmin_pages:lock": page(),
    "wagtailadmin_pages:unlock": page(),
    "wagtailadmin_pages:revisions_index": page(),
    "wagtailadmin_pages:revisions_view": Case(
        kwargs={"page_id": "hotspot", "revision_id": "revision"}
    ),
    "wagtailadmin_pages:revisions_revert": Case(
        kwargs={"page_id": "hotspot", "revision_id": "revision"}
    ),
    "wagtailadmin_pages:revisions_unschedule": Case(
        kwargs={"page_id": "hotspot", "revision_id": "revision"}
    ),
    "wagtailadmin_pages:revisions_compare": Case(
        kwargs={"pk": "hotspot", "revision_id_a": Lit("earliest"), "revision_id_b": Lit("latest")}
    ),
    "wagtailadmin_pages:workflow_history": page(),
    "wagtailadmin_pages:workflow_history_detail": Case(
        kwargs={"page_id": "hotspot", "workflow_state_id": Lit(1)}
    ),
    "wagtailadmin_pages:history": page(),
    "wagtailadmin_pages:history_results": page(),
    "wagtailadmin_choose_page": Case(),
    "wagtailadmin_choose_page_child": Case(kwargs={"parent_page_id": "org"}),
    "wagtailadmin_choose_page_search": Case(query={"q": Lit("Dokk1")}),
    "wagtailadmin_choose_page_chosen_multiple": Case(query={"id": "draft"}),
    "wagtailadmin_choose_page_external_link": Case(),
    "wagtailadmin_choose_page_email_link": NOTHING,
    "wagtailadmin_choose_page_phone_link": NOTHING,
    "wagtailadmin_choose_page_anchor_link": NOTHING,
    "wagtailadmin_tag_autocomplete": Case(query={"term": Lit("Z")}),
    "wagtailadmin_tag_model_autocomplete": Case(
        kwargs={"app_name": Lit("wagtailimages"), "model_name": Lit("image")},
        query={"term": Lit("Z")},
    ),
    # --- Wagtail: admin API (the page explorer's JSON) ---------------------------------------
    "wagtailadmin_api:pages:listing": Case(query={"child_of": "org"}),
    "wagtailadmin_api:pages:detail": Case(kwargs={"pk": "draft"}),
    "wagtailadmin_api:pages:find": Case(query={"html_path": Lit("/")}),
    "wagtailadmin_api:pages:action": Case(kwargs={"pk": "hotspot", "action_name": Lit("copy")}),
    "wagtailadmin_api:documents:listing": Case(),
    "wagtailadmin_api:documents:detail": Case(kwargs={"pk": "document"}),
    "wagtailadmin_api:documents:find": Case(query={"id": "document"}),
    "wagtailadmin_api:images:listing": Case(),
    "wagtailadmin_api:images:detail": Case(kwargs={"pk": "image"}),
    "wagtailadmin_api:images:find": Case(query={"id": "image"}),
    # --- Wagtail: collections, workflows, reports ---------------------------------------------
    "wagtailadmin_collections:index": NOTHING,
    "wagtailadmin_collections:add": NOTHING,
    "wagtailadmin_collections:edit": Case(kwargs={"pk": "collection"}),
    "wagtailadmin_collections:delete": Case(kwargs={"pk": "collection"}),
    "wagtailadmin_collections:set_privacy": Case(kwargs={"collection_id": "collection"}),
    "wagtailadmin_workflows:index": NOTHING,
    "wagtailadmin_workflows:index_results": NOTHING,
    "wagtailadmin_workflows:add": NOTHING,
    "wagtailadmin_workflows:enable": Case(kwargs={"pk": "workflow"}),
    "wagtailadmin_workflows:disable": Case(kwargs={"pk": "workflow"}),
    "wagtailadmin_workflows:edit": Case(kwargs={"pk": "workflow"}),
    "wagtailadmin_workflows:usage": Case(kwargs={"pk": "workflow"}),
    "wagtailadmin_workflows:usage_results": Case(kwargs={"pk": "workflow"}),
    "wagtailadmin_workflows:remove": Case(kwargs={"page_pk": "org", "workflow_pk": "workflow"}),
    "wagtailadmin_workflows:add_task": Case(
        kwargs={"app_label": Lit("wagtailcore"), "model_name": Lit("groupapprovaltask")}
    ),
    "wagtailadmin_workflows:select_task_type": NOTHING,
    "wagtailadmin_workflows:task_index": NOTHING,
    "wagtailadmin_workflows:task_index_results": NOTHING,
    "wagtailadmin_workflows:edit_task": Case(kwargs={"pk": "task"}),
    "wagtailadmin_workflows:disable_task": Case(kwargs={"pk": "task"}),
    "wagtailadmin_workflows:enable_task": Case(kwargs={"pk": "task"}),
    "wagtailadmin_workflows:task_chooser": NOTHING,
    "wagtailadmin_workflows:task_chooser_results": NOTHING,
    "wagtailadmin_workflows:task_chooser_create": NOTHING,
    "wagtailadmin_workflows:task_chosen": Case(kwargs={"task_id": "task"}),
    "wagtailadmin_reports:locked_pages": NOTHING,
    "wagtailadmin_reports:locked_pages_results": NOTHING,
    "wagtailadmin_reports:workflow": NOTHING,
    "wagtailadmin_reports:workflow_results": NOTHING,
    "wagtailadmin_reports:workflow_tasks": NOTHING,
    "wagtailadmin_reports:workflow_tasks_results": NOTHING,
    "wagtailadmin_reports:site_history": NOTHING,
    "wagtailadmin_reports:site_history_results": NOTHING,
    "wagtailadmin_reports:aging_pages": NOTHING,
    "wagtailadmin_reports:aging_pages_results": NOTHING,
    "wagtailadmin_reports:page_types_usage": Case(),
    "wagtailadmin_reports:page_types_usage_results": Case(),
    # --- Wagtail: the requester's own account and session -------------------------------------
    "wagtailadmin_account": Case(post=False),
    "wagtailadmin_logout": Case(post=False),
    "wagtailadmin_dismissibles": Case(own_rows=True),
    "wagtailadmin_editing_sessions:ping": Case(
        kwargs={
            "app_label": Lit("wagtailcore"),
            "model_name": Lit("page"),
            "object_id": "hotspot",
            "session_id": Lit(1),
        }
    ),
    "wagtailadmin_editing_sessions:release": Case(kwargs={"session_id": Lit(1)}),
    "wagtailadmin_block_preview": NOTHING,
    "wagtailadmin_sprite": NOTHING,
    "wagtailadmin_login": Case(post=False),
    "wagtailadmin_password_reset": Case(post=False),
    "wagtailadmin_password_reset_done": NOTHING,
    "wagtailadmin_password_reset_confirm": Case(
        kwargs={"uidb64": "a_editor_uid", "token": Lit("set-password")}, post=False
    ),
    "wagtailadmin_password_reset_complete": NOTHING,
    "wagtailadmin_javascript_catalog": NOTHING,
    # --- Wagtail: forms, redirects, settings, embeds, snippets ------------------------------
    "wagtailforms:index": NOTHING,
    "wagtailforms:index_results": NOTHING,
    "wagtailforms:list_submissions": page(),
    "wagtailforms:list_submissions_results": page(),
    "wagtailforms:delete_submissions": page(),
    "wagtailredirects:index": NOTHING,
    "wagtailredirects:index_results": NOTHING,
    "wagtailredirects:add": NOTHING,
    "wagtailredirects:edit": Case(kwargs={"redirect_id": "redirect"}),
    "wagtailredirects:delete": Case(kwargs={"redirect_id": "redirect"}),
    "wagtailredirects:start_import": NOTHING,
    "wagtailredirects:process_import": NOTHING,
    "wagtailsettings:edit": Case(
        kwargs={"app_name": Lit("hotspots"), "model_name": Lit("hotspotpage"), "pk": "site"}
    ),
    "wagtailsettings:preview_on_edit": Case(
        kwargs={"app_name": Lit("hotspots"), "model_name": Lit("hotspotpage"), "pk": "site"}
    ),
    "wagtailembeds:chooser": NOTHING,
    "wagtailembeds:chooser_upload": NOTHING,
    "wagtailsnippets:index": NOTHING,
    "wagtailsnippets_hotspots_helptopic:list": NOTHING,
    "wagtailsnippets_hotspots_helptopic:list_results": NOTHING,
    "wagtailsnippets_hotspots_helptopic:add": NOTHING,
    "wagtailsnippets_hotspots_helptopic:edit": Case(kwargs={"pk": "topic"}),
    "wagtailsnippets_hotspots_helptopic:delete": Case(kwargs={"pk": "topic"}),
    "wagtailsnippets_hotspots_helptopic:usage": Case(kwargs={"pk": "topic"}),
    "wagtailsnippets_hotspots_helptopic:history": Case(kwargs={"pk": "topic"}),
    "wagtailsnippets_hotspots_helptopic:history_results": Case(kwargs={"pk": "topic"}),
    "wagtailsnippets_hotspots_helptopic:copy": Case(kwargs={"pk": "topic"}),
    "wagtailsnippetchoosers_hotspots_helptopic:choose": NOTHING,
    "wagtailsnippetchoosers_hotspots_helptopic:choose_results": NOTHING,
    "wagtailsnippetchoosers_hotspots_helptopic:chosen": Case(kwargs={"pk": "topic"}),
    "wagtailsnippetchoosers_hotspots_helptopic:chosen_multiple": Case(query={"id": "topic"}),
    "wagtailsnippetchoosers_hotspots_helptopic:create": NOTHING,
    # --- Wagtail: documents and images (collection permissions) -----------------------------
    "wagtaildocs:index": NOTHING,
    "wagtaildocs:index_results": NOTHING,
    "wagtaildocs:add": NOTHING,
    "wagtaildocs:edit": Case(kwargs={"document_id": "document"}),
    "wagtaildocs:delete": Case(kwargs={"document_id": "document"}),
    "wagtaildocs:add_multiple": NOTHING,
    "wagtaildocs:edit_multiple": Case(kwargs={"doc_id": "document"}),
    "wagtaildocs:create_multiple_from_uploaded_document": Case(kwargs={"uploaded_file_id": Lit(1)}),
    "wagtaildocs:delete_multiple": Case(kwargs={"doc_id": "document"}),
    "wagtaildocs:delete_upload_multiple": Case(kwargs={"uploaded_file_id": Lit(1)}),
    "wagtaildocs:document_usage": Case(kwargs={"document_id": "document"}),
    "wagtaildocs_chooser:choose": NOTHING,
    "wagtaildocs_chooser:choose_results": NOTHING,
    "wagtaildocs_chooser:chosen": Case(kwargs={"pk": "document"}),
    "wagtaildocs_chooser:chosen_multiple": Case(query={"id": "document"}),
    "wagtaildocs_chooser:create": NOTHING,
    "wagtailimages:index": NOTHING,
    "wagtailimages:index_results": NOTHING,
    "wagtailimages:edit": Case(kwargs={"image_id": "image"}),
    "wagtailimages:delete": Case(kwargs={"image_id": "image"}),
    "wagtailimages:url_generator": Case(kwargs={"image_id": "image"}),
    "wagtailimages:url_generator_output": Case(kwargs={"image_id": "image"}),
    "wagtailimages:preview": Case(kwargs={"image_id": "image", "filter_spec": Lit("original")}),
    "wagtailimages:add": NOTHING,
    "wagtailimages:image_usage": Case(kwargs={"image_id": "image"}),
    "wagtailimages:add_multiple": NOTHING,
    "wagtailimages:edit_multiple": Case(kwargs={"image_id": "image"}),
    "wagtailimages:create_multiple_from_uploaded_image": Case(kwargs={"uploaded_file_id": Lit(1)}),
    "wagtailimages:delete_multiple": Case(kwargs={"image_id": "image"}),
    "wagtailimages:delete_upload_multiple": Case(kwargs={"uploaded_file_id": Lit(1)}),
    "wagtailimages_chooser:choose": NOTHING,
    "wagtailimages_chooser:choose_results": NOTHING,
    "wagtailimages_chooser:chosen": Case(kwargs={"pk": "image"}),
    "wagtailimages_chooser:chosen_multiple": Case(query={"id": "image"}),
    "wagtailimages_chooser:create": NOTHING,
    "wagtailimages_chooser:select_format": Case(kwargs={"image_id": "image"}),
    # --- Wagtail: sites, users, groups (superusers only) -------------------------------------
    "wagtailsites:index": NOTHING,
    "wagtailsites:index_results": NOTHING,
    "wagtailsites:add": NOTHING,
    "wagtailsites:edit": Case(kwargs={"pk": "site"}),
    "wagtailsites:delete": Case(kwargs={"pk": "site"}),
    "wagtailsites:history": Case(kwargs={"pk": "site"}),
    "wagtailsites:history_results": Case(kwargs={"pk": "site"}),
    "wagtailsites:usage": Case(kwargs={"pk": "site"}),
    "wagtailsites:copy": Case(kwargs={"pk": "site"}),
    "wagtailusers_users:index": NOTHING,
    "wagtailusers_users:index_results": NOTHING,
    "wagtailusers_users:add": NOTHING,
    "wagtailusers_users:edit": Case(kwargs={"pk": "a_editor"}),
    "wagtailusers_users:delete": Case(kwargs={"pk": "a_editor"}),
    "wagtailusers_users:history": Case(kwargs={"pk": "a_editor"}),
    "wagtailusers_users:history_results": Case(kwargs={"pk": "a_editor"}),
    "wagtailusers_users:usage": Case(kwargs={"pk": "a_editor"}),
    "wagtailusers_users:copy": Case(kwargs={"pk": "a_editor"}),
    "wagtailusers_groups:index": NOTHING,
    "wagtailusers_groups:index_results": NOTHING,
    "wagtailusers_groups:add": NOTHING,
    "wagtailusers_groups:edit": Case(kwargs={"pk": "group"}),
    "wagtailusers_groups:delete": Case(kwargs={"pk": "group"}),
    "wagtailusers_groups:history": Case(kwargs={"pk": "group"}),
    "wagtailusers_groups:history_results": Case(kwargs={"pk": "group"}),
    "wagtailusers_groups:usage": Case(kwargs={"pk": "group"}),
}
