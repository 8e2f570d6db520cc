# The new version, as a new application version: a step inserted before recorded work (kept on the old version): the old version's workers finish the instances in flight.
from dbos import DBOS, DBOSConfig

#: the application version, bumped: instances in flight stay with the workers of the old one
config: DBOSConfig = {"name": "orders", "application_version": "orders-2"}


@DBOS.step()
def reserve(item: str) -> str:
    return f"reserved {item}"


@DBOS.step()
def charge(item: str) -> str:
    return f"charged {item}"


@DBOS.step()
def ship(item: str) -> str:
    return f"shipped {item}"


@DBOS.workflow()
def order(item: str) -> str:
    reserved = reserve(item)
    DBOS.sleep(1)
    ship(reserved)
    return charge(reserved)
