# Two application servers (gunicorn) sharing PostgreSQL and Redis, behind Varnish:
#   varnishd -a :80 -f /etc/varnish/default.vcl -s malloc,256m
# with this folder's files in /etc/varnish/, and on each server
#   FRONTEND_CACHE_PURGE_URLS=http://<varnish host>:80  NUM_PROXIES=1
vcl 4.1;

import directors;

backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .probe = { .url = "/robots.txt"; .interval = 5s; .timeout = 2s; .window = 5; .threshold = 3; }
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .probe = { .url = "/robots.txt"; .interval = 5s; .timeout = 2s; .window = 5; .threshold = 3; }
}

sub vcl_init {
    new apps = directors.round_robin();
    apps.add_backend(app1);
    apps.add_backend(app2);
}

include "ville-citoyenne.vcl";
