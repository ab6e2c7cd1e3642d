from axes.backends import AxesStandaloneBackend


class LoginAttemptsBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins sent through a request: the admin's login
    form always is. A login without a request (Django's test client, the shell) has no
    address to count: django-axes would refuse it outright, it goes on unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
