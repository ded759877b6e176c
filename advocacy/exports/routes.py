"""Downloads: staff exports of every register, and the public open-data export."""
import datetime as dt

from flask import Response, abort, render_template, stream_with_context

from advocacy.exports import bp, services
from advocacy.public import page_cache
from advocacy.security import staff_required


def _download(body, mimetype, filename):
    resp = Response(stream_with_context(body), mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


@bp.route("/")
@staff_required
def index():
    return render_template("exports/index.html", registers=list(services.REGISTERS), labels=services.REGISTER_LABELS)


@bp.route("/<register>.<fmt>")
@staff_required
def register(register, fmt):
    if register not in services.REGISTERS or fmt not in ("csv", "json"):
        abort(404)
    stamp = dt.date.today().isoformat()
    rows = services.register_rows(register)
    if fmt == "csv" and register in services.SCHEMAS:
        return _download(services.stream_vocabulary_csv(register), "text/csv; charset=utf-8",
                         f"{register}-{stamp}-INTERNAL.csv")
    if fmt == "csv":
        return _download(services.stream_csv(services.header(register), rows), "text/csv; charset=utf-8",
                         f"{register}-{stamp}-INTERNAL.csv")
    return _download(services.stream_json(rows), "application/json", f"{register}-{stamp}-INTERNAL.json")


def _public_download(build, mimetype, filename):
    """The public open data, built whole and served from the public page cache."""
    return page_cache.response(lambda: "".join(build()), mimetype=mimetype, localized=False,
                               headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/public.json")
def public_json():
    return _public_download(lambda: [services.public_json_document()], "application/json", "westandbyyou-public.json")


@bp.route("/public.csv")
def public_csv():
    return _public_download(lambda: services.stream_csv(services.PUBLIC_HEADER, services.public_rows()),
                            "text/csv; charset=utf-8", "westandbyyou-public.csv")
