"""GDELT event rows for tests, built from the codebook's column lists (linwoodc3/gdeltPyR
`data/events1.csv` for 1.0, `data/events2.csv` for 2.0) through the reader's own layouts."""

from __future__ import annotations

from tracker.draft.gdelt import LAYOUTS

COUNTRY_NAMES = {"AFG": "AFGHANISTAN", "PAK": "PAKISTAN", "IRN": "IRAN", "RUS": "RUSSIA",
                 "TUR": "TURKEY", "SYR": "SYRIA", "USA": "UNITED STATES", "CHN": "CHINA"}


def row(width: int, event_id: int, day: str, actor1: str, actor2: str, code: str, *,
        url: str = "", place: str = "", sources: int = 1) -> str:
    """One tab-separated row of a layout (57, 58 or 61 columns); an actor is a country code
    or IGO<group> for a known group."""
    _, col = LAYOUTS[width]
    cells = [""] * width
    cells[col["GLOBALEVENTID"]] = str(event_id)
    cells[col["SQLDATE"]] = day
    cells[col["MonthYear"]], cells[col["Year"]] = day[:6], day[:4]
    for side, actor in (("Actor1", actor1), ("Actor2", actor2)):
        cells[col[f"{side}Code"]] = actor
        if actor.startswith("IGO"):
            cells[col[f"{side}KnownGroupCode"]] = actor[3:]
            cells[col[f"{side}Name"]] = "UNITED NATIONS" if actor == "IGOUNO" else actor
        else:
            cells[col[f"{side}CountryCode"]] = actor
            cells[col[f"{side}Name"]] = COUNTRY_NAMES.get(actor, actor)
    cells[col["IsRootEvent"]] = "1"
    cells[col["EventCode"]] = code
    cells[col["EventBaseCode"]] = code[:3]
    cells[col["EventRootCode"]] = code[:2]
    cells[col["NumMentions"]] = cells[col["NumArticles"]] = cells[col["NumSources"]] = str(sources)
    cells[col["ActionGeo_FullName"]] = place
    cells[col["DATEADDED"]] = day + "120000" if width == 61 else day
    if "SOURCEURL" in col:
        cells[col["SOURCEURL"]] = url
    return "\t".join(cells)
