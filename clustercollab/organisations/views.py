def dashboard(request):
    pass


def organisation_create(request):
    pass


def organisation_detail(request):
    pass
