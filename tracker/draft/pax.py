"""PA-X peace agreements (CSV download, one agreement a row, with a header).

An agreement concerns the conflict when its parties (`Part`) or its locations (`Loc1ISO`,
`Loc2ISO`) name a party of `--conflict`. Its third parties (`ThrdPart`, free text) are read for
the actors they name: countries by name, capital or adjective ("Omani Government"), registered
organisations by name or alias ("United Nations"); those, less the conflict's own parties, are
the mediators. An agreement with third parties becomes `agreement-reached` on the track those
mediators run; where they run none, the draft opens one with an offer dated the agreement's
date, inferred from it and graded A3. An agreement without third parties is not mediation: it
is counted and reported.

Kind from `Stage`: Cea → ceasefire (ceasefire-extension where the name says it extends or
renews one), Pre → declaration, SubPar → framework, SubComp → final, Imp (implementation) →
framework, Ren (renewal) → ceasefire-extension for a ceasefire or truce, else declaration;
Oth and anything else → declaration.
"""

from __future__ import annotations

import re
from typing import Any

from tracker.draft.shared import (
    PAX_AGREEMENT_GRADE,
    PAX_INFERRED_OFFER_GRADE,
    Candidate,
    Conflict,
    Names,
    Tally,
    clip,
    header_rows,
    parse_day,
)

REQUIRED = ("agtid", "agt", "dat", "stage", "thrdpart")
STAGES = {"cea": "ceasefire", "pre": "declaration", "subpar": "framework", "subcomp": "final",
          "imp": "framework"}
CEASEFIRE = re.compile(r"cease[- ]?fire|truce|cessation of hostilities", re.I)
RENEWS = re.compile(r"extend|extension|renew|prolong", re.I)
NO_ONE = {"", "none", "n/a", "na", "no", "-"}


def agreement_kind(stage: str, name: str) -> str:
    stage = stage.strip().lower()
    if stage == "cea":
        return "ceasefire-extension" if RENEWS.search(name) else "ceasefire"
    if stage == "ren":
        return "ceasefire-extension" if CEASEFIRE.search(name) else "declaration"
    return STAGES.get(stage, "declaration")


class PaxReader:
    def __init__(self, conflict: Conflict, names: Names, tally: Tally):
        self.conflict = conflict
        self.parties = set(conflict.parties)
        self.names = names
        self.tally = tally

    def row(self, get: Any) -> Candidate | None:
        agt_id, name = get("agtid").strip(), " ".join(get("agt").split())
        day = parse_day(get("dat"))
        if day is None:
            self.tally.drop("no valid date (Dat)")
            return None
        if not self.conflict.in_window(day):
            self.tally.drop("outside --since/--until")
            return None
        named, _ = self.names.scan(get("part"))
        places = {self.names.code(c.strip(), count=False) for c in (get("loc1iso"), get("loc2iso")) if c.strip()}
        if not self.parties & (set(named) | places):
            self.tally.drop("its parties and places name no party of the conflict")
            return None
        third = get("thrdpart").strip()
        if third.lower() in NO_ONE:
            self.tally.drop("no third parties: not mediation")
            self.tally.notes.append(f"PA-X {agt_id} has no third parties (not mediation): {clip(name, 100)}")
            return None
        codes, unnamed = self.names.scan(third)
        for piece in unnamed:
            self.tally.unresolved[piece] += 1
        mediators = sorted(c for c in codes if c not in self.parties)
        if not mediators:
            self.tally.drop("no third party resolves to an actor")
            return None
        self.tally.kept += 1
        quote = clip(f"{name}. Third parties: {third}", 4000)
        reliability, credibility = PAX_AGREEMENT_GRADE
        source = {"url": None, "outlet": f"PA-X {agt_id}", "reliability": reliability,
                  "credibility": credibility, "quote": quote}
        who = " and ".join(self.names.name(m) for m in mediators)
        between = " and ".join(self.names.name(p) for p in self.conflict.parties)
        kind = agreement_kind(get("stage"), name)
        reliability, credibility = PAX_INFERRED_OFFER_GRADE
        offer = Candidate(
            "mediation-offered", start=day, occurred=day.isoformat(),
            summary=clip(f"Inferred: {who} mediating between {between} by the date of '{name}' "
                         f"(PA-X {agt_id}), which names them as third parties.", 4000),
            fields={"mediators": mediators, "parties": list(self.conflict.parties)},
            sources=[{**source, "reliability": reliability, "credibility": credibility}],
            occurred_note=clip(f"uncertain: inferred from PA-X agreement {agt_id}; the offer came on "
                               "or before this date", 500),
        )
        return Candidate(
            "agreement-reached", start=day, occurred=day.isoformat(),
            summary=clip(f"{name} ({kind}), with {clip(third, 300)} as third parties.", 4000),
            fields={"kind": kind, "terms": clip(name, 4000)},
            sources=[source], place=("mediators", tuple(mediators)), opens_with=offer,
        )


def read(handle: Any, path: str, conflict: Conflict, names: Names, tally: Tally) -> list[Candidate]:
    pax = PaxReader(conflict, names, tally)
    found = (pax.row(get) for get in header_rows(handle, path, REQUIRED, "a PA-X download", tally))
    return [cand for cand in found if cand is not None]
