from django.shortcuts import render


def not_found(request, exception=None):
    return render(request, "web/not_found.html", status=404)


def forbidden(request, exception=None):
    return render(request, "web/forbidden.html", {"reason": str(exception or "")}, status=403)
