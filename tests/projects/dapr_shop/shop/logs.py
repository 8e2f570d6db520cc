import logging

logger = logging.getLogger("shop")
