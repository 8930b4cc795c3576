"""The bare functions-framework hello-world the platform benchmarks compare against."""

import functions_framework


@functions_framework.http
def hello(request):
    return {"result": "hello"}
