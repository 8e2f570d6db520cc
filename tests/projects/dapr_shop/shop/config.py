import json


def load_cfg(name):
    return parse(read(name))


def read(name):
    with open(name) as handle:  # ok: reported at the workflow's call site
        return handle.read()


def parse(text):
    return json.loads(text)  # ok: deterministic
