"""A real CAS 3 server (django-cas-server) the browser tests run on a loopback port."""
