"""URL names of the reports and notifications apps and the tests that prove their scoping."""

CONTRACT = {
    "reports:list": "tests/reports/test_pages.py::test_report_pages_follow_scope",
    "reports:mine": "tests/reports/test_pages.py::test_report_pages_follow_scope",
    "reports:todo": "tests/reports/test_pages.py::test_todo_lists_only_my_level",
    "reports:new": "tests/reports/test_pages.py::test_report_form_offers_only_scope",
    "reports:detail": "tests/reports/test_pages.py::test_report_pages_follow_scope",
    "reports:act": "tests/reports/test_pages.py::test_actions_outside_scope_are_404",
    "reports:photo": "tests/reports/test_pages.py::test_photos_are_served_only_in_scope",
    "report-list": "tests/reports/test_api.py::test_api_list_follows_scope",
    "report-detail": "tests/reports/test_api.py::test_api_list_follows_scope",
    **{
        f"report-{a}": "tests/reports/test_api.py::test_action_endpoints_refuse_outside_scope"
        for a in [
            "accept",
            "handle",
            "feedback",
            "confirm",
            "object",
            "escalate",
            "return",
            "resubmit",
            "transfer",
            "close",
        ]
    },
    "notifications:list": "tests/reports/test_notifications.py::test_notifications_are_private",
    "notifications:open": "tests/reports/test_notifications.py::test_notifications_are_private",
    "notifications:read-all": "tests/reports/test_notifications.py::test_notifications_are_private",
    "notification-list": "tests/reports/test_notifications.py::test_notifications_are_private",
    "notification-read-all": "tests/reports/test_notifications.py::test_notifications_are_private",
}
