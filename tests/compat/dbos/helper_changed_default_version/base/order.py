# The version in flight.
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
    return reserve(item)


@DBOS.workflow()
def order(item: str) -> str:
    reserved = prepare(item)
    DBOS.sleep(1)
    return charge(reserved)
