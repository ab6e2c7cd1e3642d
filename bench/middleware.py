from django.db import connection
from django.test.utils import CaptureQueriesContext


class QueryCountMiddleware:
    """Counts the SQL queries of a request that asks for it (bench settings only):
    recording queries costs time, so the timed requests do not ask."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Queries") != "1":
            return self.get_response(request)
        with CaptureQueriesContext(connection) as queries:
            response = self.get_response(request)
        response["X-Queries"] = str(len(queries))
        return response
