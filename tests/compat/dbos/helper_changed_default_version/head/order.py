# The new version: a plain helper now ships first (breaks): nothing the application registers changes,
# so the default application version stays the same and the new workers recover the instances in flight.
from dbos import DBOS


@DBOS.step()
def reserve(item: str) -> str:
    return f"reserved {item}"


@DBOS.step()
def charge(item: str) -> str:
    return f"charged {item}"


@DBOS.step()
def ship(item: str) -> str:
    return f"shipped {item}"


def prepare(item: str) -> str:
    ship(item)
    return reserve(item)


@DBOS.workflow()
def order(item: str) -> str:
    reserved = prepare(item)
    DBOS.sleep(1)
    return charge(reserved)
