def home_page_figures() -> dict:
    return {}
