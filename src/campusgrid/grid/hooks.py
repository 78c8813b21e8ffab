"""What the grid app plugs into the rest: navigation, home panels (render functions in
panels.py), sections, `tick` jobs, demo steps. One register(), called from the app's ready()."""

from campusgrid.core.registry import (
    CollegeColumn,
    NavItem,
    Panel,
    PersonalDataPart,
    Section,
    register_college_column,
    register_nav,
    register_opener,
    register_panel,
    register_personal_data,
    register_section,
)

from . import policy, selectors
from .panels import (
    class_posts_section,
    colleges_panel,
    coverage_panel,
    my_posts_panel,
    party_grid_panel,
    room_posts_section,
    student_chain_section,
)


def _collect_posts(student):
    from .personal_data import collect_posts

    return collect_posts(student)


def register():
    from campusgrid.core.fingerprint import watch

    from . import coverage

    coverage.watch_inputs()
    watch(*selectors.my_posts_inputs())  # the home panel's kept posts
    register_nav(NavItem("工作台", "home", "house", order=0))
    register_nav(
        NavItem(
            "学生名册", "people:students", "people", order=10, visible=policy.may_see_roster, group="grid"
        )
    )
    register_nav(
        NavItem(
            "班级", "people:classes", "collection", order=11, visible=policy.may_see_classes, group="grid"
        )
    )
    register_nav(
        NavItem(
            "网格覆盖", "grid:coverage", "diagram-3", order=20, visible=policy.may_see_coverage, group="grid"
        )
    )
    register_nav(
        NavItem("网格员", "grid:posts", "person-badge", order=21, visible=policy.may_see_posts, group="grid")
    )
    register_nav(
        NavItem("导入名册", "grid:import", "upload", order=90, visible=policy.may_import, group="admin")
    )
    register_opener("people:class", policy.may_open_class)
    register_opener("people:student", policy.may_open_student)
    register_panel(Panel("my-posts", "grid/panel_my_posts.html", my_posts_panel, order=5))
    register_panel(Panel("colleges", "grid/panel_colleges.html", colleges_panel, order=-10))
    register_college_column(
        CollegeColumn(
            "students",
            "学生",
            lambda user: selectors.enrolled_by_college(user),
            order=0,
            link=lambda: ("people:students", {"status": "enrolled"}),
        )
    )
    register_panel(Panel("party-grid", "grid/panel_party_grid.html", party_grid_panel, order=1))
    register_panel(Panel("coverage", "grid/panel_coverage.html", coverage_panel, order=10))
    register_section(
        "student", Section("chains", "grid/section_student_chains.html", student_chain_section, order=10)
    )
    register_section(
        "class", Section("posts", "grid/section_place_posts.html", class_posts_section, order=10)
    )
    register_section("room", Section("posts", "grid/section_place_posts.html", room_posts_section, order=10))
    register_personal_data(PersonalDataPart("grid.posts", "网格职务", _collect_posts, order=20))
