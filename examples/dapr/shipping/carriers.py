import os

import requests


def carrier_for(country: str) -> str:
    table = load_table()
    return table.get(country, "default")


def load_table() -> dict:
    url = os.environ["CARRIER_TABLE_URL"]  # ok: reported where the workflow calls carrier_for()
    return requests.get(url, timeout=5).json()  # ok: reported at the workflow's call site
