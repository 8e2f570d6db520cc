# The new version: the workflow's own text is unchanged, but reserve is no longer a step (orphaned): a step
# fewer changes the default application version, a hash of what the application registers.
from dbos import DBOS



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
    return charge(reserved)
