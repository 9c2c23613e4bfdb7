def csp_directives(response):
    """A response's Content-Security-Policy as {directive: [sources]}."""
    return {
        name: sources
        for name, *sources in (
            directive.split() for directive in response["Content-Security-Policy"].split(";")
        )
    }
