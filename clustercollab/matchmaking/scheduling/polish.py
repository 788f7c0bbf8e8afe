def cpsat_polish(state, bound, deadline):  # noqa: ANN001, ANN201
    return False
