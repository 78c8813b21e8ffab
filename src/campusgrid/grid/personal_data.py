"""The student's grid posts, for their own-data download (people/personal_data.py)."""

from .models import Post


def collect_posts(student) -> list[dict]:
    return [
        {
            "职务": post.get_kind_display(),
            "位置": post.place_label,
            "任职开始": post.start_date.isoformat(),
            "任职结束": post.end_date.isoformat() if post.end_date else None,
        }
        for post in Post.objects.filter(student=student).select_related(
            "room__building", "school_class", "college", "branch", "small_grid"
        )
    ]
