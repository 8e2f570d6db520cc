# No framework import here: these functions are workflows because worker.py registers them.
import random
from datetime import datetime


def order(ctx, item):
    placed = datetime.now()  # expect: WFL101
    result = yield ctx.call_activity("ship", input=[item, placed.isoformat()])
    return result


def refund(ctx, item):
    return random.random() > 0.5  # expect: WFL201


def not_registered(ctx, item):
    return datetime.now()  # ok: nothing registers this one
