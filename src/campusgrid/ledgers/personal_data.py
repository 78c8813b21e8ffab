"""The student's leave, holiday registrations and night-check lines, for their
own-data download (people/personal_data.py)."""

from campusgrid.people.personal_data import iso

from .models import HolidayRegistration, LeaveRequest, NightCheckEntry


def collect_leave(student) -> list[dict]:
    return [
        {
            "类型": leave.get_kind_display(),
            "离校时间": iso(leave.start),
            "返校时间": iso(leave.end),
            "事由": leave.reason,
            "去向": leave.destination,
            "状态": leave.get_state_display(),
            "审批时间": iso(leave.decided_at),
            "销假时间": iso(leave.returned_at),
        }
        for leave in LeaveRequest.objects.filter(student=student).order_by("start")
    ]


def collect_holidays(student) -> list[dict]:
    return [
        {
            "节假日": str(registration.holiday),
            "去留": registration.get_plan_display(),
            "目的地": registration.destination,
            "离校日期": iso(registration.depart_on),
            "计划返校日期": iso(registration.return_on),
            "交通方式": registration.transport,
            "紧急联系人": registration.emergency_contact,
            "紧急联系电话": registration.emergency_phone,
            "返校时间": iso(registration.returned_at),
        }
        for registration in HolidayRegistration.objects.filter(student=student).select_related("holiday")
    ]


def collect_night(student) -> list[dict]:
    return [
        {"日期": iso(entry.date), "情况": entry.get_status_display(), "归寝时间": iso(entry.time)}
        for entry in NightCheckEntry.objects.filter(student=student).order_by("date")
    ]
