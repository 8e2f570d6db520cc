"""What wflint knows of the standard library beyond names: shared by the rules and the
frameworks' rewrite tables."""

#: the functions of the ``random`` module that draw from (or reseed) its hidden generator
RANDOM_FUNCTIONS = (
    "betavariate", "binomialvariate", "choice", "choices", "expovariate", "gammavariate", "gauss",
    "getrandbits", "getstate", "lognormvariate", "normalvariate", "paretovariate", "randbytes",
    "randint", "random", "randrange", "sample", "seed", "setstate", "shuffle", "triangular",
    "uniform", "vonmisesvariate", "weibullvariate",
)
