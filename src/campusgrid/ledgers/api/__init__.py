"""REST API of the ledgers, scoped exactly like the pages (the same selectors and
services): night checks, leave, holiday registrations, inspections, ratings.

One module a sub-domain; `register` puts them all on the router."""

from .holiday import (  # noqa: F401
    HolidayRegistrationIn,
    HolidayRegistrationSerializer,
    HolidayRegistrationViewSet,
    HolidayWindowIn,
    HolidayWindowSerializer,
    HolidayWindowViewSet,
)
from .inspections import (  # noqa: F401
    FindingIn,
    FindingSerializer,
    FindingViewSet,
    IllegalRateSeriesSerializer,
    InspectionRoundViewSet,
    InspectionSerializer,
    InspectionViewSet,
    RecheckIn,
    RecordIn,
    RoomRatingSerializer,
    RoomRatingViewSet,
    RoundIn,
    RoundSerializer,
)
from .leave import DecisionIn, LeaveIn, LeaveSerializer, LeaveViewSet  # noqa: F401
from .night import (  # noqa: F401
    NightCheckIn,
    NightCheckSerializer,
    NightCheckViewSet,
    NightEntryIn,
    NightEntrySerializer,
    NightProgressBuilding,
    NightProgressClass,
    NightProgressSerializer,
    NightProgressTotals,
    _status_fields,
)


def register(router):
    router.register("night-checks", NightCheckViewSet, basename="night-check")
    router.register("leaves", LeaveViewSet, basename="leave")
    router.register("holiday-windows", HolidayWindowViewSet, basename="holiday-window")
    router.register("holiday-registrations", HolidayRegistrationViewSet, basename="holiday-registration")
    router.register("inspection-rounds", InspectionRoundViewSet, basename="inspection-round")
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("room-ratings", RoomRatingViewSet, basename="room-rating")
