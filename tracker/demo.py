"""The seed case: the article in shared/seed/article.txt, enriched from the sourced chronology.

Ids are content-derived, so recording it twice records nothing new. Where sources disagree
or a fact is unconfirmed, the development says so in its note and its sources' grades
(Admiralty: reliability A–F, credibility 1–6; 6 = cannot be judged).
"""

from __future__ import annotations

from typing import Any

QT = "QAT+TUR:AFG-PAK"
ARTICLE = {
    "outlet": "News article 'After Iran, now Russia also offers to mediate between Pakistan "
    "and Afghanistan' (Islamabad dateline; shared/seed/article.txt)",
    "reliability": "C",
    "credibility": 3,
}


def src(url: str, grade: str, outlet: str | None = None, quote: str | None = None) -> dict[str, Any]:
    source: dict[str, Any] = {"url": url, "reliability": grade[0], "credibility": int(grade[1])}
    if outlet:
        source["outlet"] = outlet
    if quote:
        source["quote"] = quote
    return source


def dev(type_: str, occurred: str, summary: str, sources: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "type": type_,
        "occurred": occurred,
        "summary": summary,
        "sources": sources,
        "recorded_by": "tracker demo",
        **fields,
    }


def demo_lines() -> list[dict[str, Any]]:
    """Every record of the seed case, in the order a desk might have learned them."""
    return [
        {
            "type": "actor-registered",
            "code": "TTP",
            "name": "Tehrik-i-Taliban Pakistan",
            "aliases": ["Pakistani Taliban"],
            "kind": "armed-group",
            "recorded_by": "tracker demo",
        },
        # -- conflict-level: the October clashes ----------------------------------------------
        dev(
            "incident-reported", "2025-10-09",
            "Explosions in Kabul, which Kabul blamed on Pakistan; reports say Pakistani air "
            "operations near Kabul and in Paktika targeted TTP leader Noor Wali Mehsud.",
            [
                src("https://www.silkway.news/afghanistan-says-40-killed-in-pakistan-155699", "C3"),
                src("https://mobicrazy.com/Index/view/id/12366910.html", "D3",
                    quote="has not confirmed the alleged air strikes"),
            ],
            parties=["AFG", "PAK"], kind="strike", location="Kabul; Paktika",
            occurred_note="alleged; Pakistan has not confirmed the strikes",
        ),
        dev(
            "incident-reported", "2025-10-11..2025-10-12",
            "Night-time border clashes between Afghan Taliban forces and the Pakistan Army; "
            "Torkham and Chaman crossings closed. Casualty figures differ by party: ISPR says "
            "23 soldiers and >200 Taliban killed, the Taliban say 58 Pakistani soldiers and 9 Afghans.",
            [
                src("https://www.pakistantoday.com.pk/2025/10/13/23-troops-martyred-over-200-taliban-"
                    "terrorists-killed-as-pakistan-responds-afghan-aggression-ispr", "B3", "Pakistan Today (ISPR)"),
                src("https://www.shafaq.com/en/World/Afghanistan-attacks-Pakistani-army-posts", "C3", "Shafaq News"),
            ],
            parties=["Afghanistan", "Pakistan"], kind="clash", location="Afghanistan–Pakistan border",
            fatalities="high", occurred_note="night of 11–12 October",
        ),
        dev(
            "incident-reported", "2025-10-17",
            "Pakistani strikes in Paktika killed at least 10, including three local cricketers "
            "(AFP, citing Afghan officials); a Taliban official said the ceasefire was broken.",
            [src("https://techwordnews.com/?p=146638", "C3")],
            parties=["AFG", "PAK"], kind="ceasefire-violation", location="Paktika",
            fatalities=10, occurred_note="late Friday",
        ),
        # -- the Türkiye–Qatar track ------------------------------------------------------------
        dev(
            "mediation-offered", "2025-10-17",
            "Qatar offers to facilitate talks and invites the delegations to Doha, with Türkiye "
            "as co-mediator; the ceasefire is extended until the talks conclude.",
            [
                src("https://www.channelnewsasia.com/world/pakistan-afghanistan-extend-ceasefire-doha-"
                    "talks-set-begin-5410011", "B2", "CNA"),
                src("https://www.thenews.com.pk/latest/1351792-islamabad-kabul-extend-ceasefire-ahead-"
                    "of-doha-peace-talks", "B2", "The News"),
            ],
            mediators=["Qatar", "Türkiye"], parties=["Pakistan", "Afghanistan"],
            speaker="Shafqat Ali Khan, FO spokesperson",
            occurred_note="sources disagree on which side asked for the extension",
        ),
        dev(
            "talks-held", "2025-10-18",
            "First round in Doha (Asif and DG ISI Asim Malik; Afghan Defence Minister Mohammad "
            "Yaqoob), mediated by Qatar and Türkiye; PTV says it lasted 13 hours.",
            [
                src("https://wp.globalpulseonline.com/pakistan-afghanistan-agree-to-immediate-ceasefire-"
                    "in-qatar-talks", "C2"),
                src("https://atlaspress.news/en/?p=883", "D3", "Atlaspress",
                    quote="Saturday, October 17"),
            ],
            track=QT, venue="Doha",
            occurred_note="Atlaspress says 'Saturday, October 17'; Saturday was the 18th",
        ),
        dev(
            "agreement-reached", "2025-10-19",
            "Doha ceasefire: an immediate ceasefire and a mechanism for peace and stability, "
            "with follow-up meetings; a joint mechanism mediated by Qatar and Türkiye monitors it.",
            [
                src("https://menafn.com/1110215738/Qatari-Foreign-Ministry-Announces-Ceasefire-Between-"
                    "Pakistan-Afghanistan", "B2", "KUNA via MENAFN"),
                src("https://islamabadpost.com.pk/talks-succeed-pakistan-afghan-taliban-agree-to-extend-"
                    "ceasefire", "C2", quote="Doha ceasefire understanding reached on October 18 and 19"),
            ],
            track=QT, kind="ceasefire",
            terms="Immediate ceasefire; mechanism for peace and stability; follow-up meetings.",
            occurred_note="announced early Sunday; later described as reached on 18–19 Oct",
        ),
        dev(
            "talks-scheduled", "2025-10-19",
            "Asif says the next meeting will be held in Istanbul on 25 October.",
            [src("https://uniteddaily.my/en/18e5a3c4-f779-4281-92e7-a907a043079a", "C2")],
            track=QT, venue="Istanbul", scheduled_for="2025-10-25",
        ),
        dev(
            "talks-held", "2025-10-25",
            "Second round opens in Istanbul, mediated by Türkiye and Qatar; it runs to 30 October.",
            [
                src("https://republicpk.com/trump-vows-to-resolve-pakistan-afghanistan-conflict", "C2",
                    quote="began in Istanbul, Turkey, on Saturday"),
                src("https://en.webangah.ir/2025-11-17/news=350147", "E3", quote="in Ankara"),
            ],
            track=QT, venue="Istanbul",
            occurred_note="session lengths come from a partisan source; webangah wrongly says Ankara",
        ),
        dev(
            "statement-issued", "2025-10-29",
            "Information Minister Tarar says on X that the dialogue 'failed to bring about any "
            "workable solution' and thanks the mediators.",
            [
                src("https://www.deccanchronicle.com/world/neighbours/pakistan-afghanistan-peace-talks-"
                    "failed-1913292", "C2"),
                src("https://en.didpress.com/?p=20728", "D3", quote="late Tuesday (October 29)"),
            ],
            actor="PAK", track=QT, stance="other", speaker="Attaullah Tarar, Information Minister",
            text="The dialogue failed to bring about any workable solution.",
            occurred_note="early 29 Oct PKT; the X embed shows 28 Oct; DID Press says 'Tuesday (October 29)'",
        ),
        dev(
            "agreement-reached", "2025-10-30",
            "Joint statement issued by Türkiye: the parties agree to continue the ceasefire and "
            "to a monitoring and verification mechanism, modalities to be set in Istanbul on 6 Nov.",
            [
                src("https://rks.news/turkey-says-pakistan-and-afghanistan-agree-to-extend-ceasefire-"
                    "after-deadly-border-clashes", "B2"),
                src("https://menafn.com/1110274791/Pakistan-And-Afghanistan-Agree-To-Continue-Ceasefire-"
                    "Talks-In-Istanbul-After-No-Breakthrough-In-Latest-Round", "B2", "Khaama via MENAFN",
                    quote="no breakthrough"),
            ],
            track=QT, kind="ceasefire-extension",
            terms="Continue the ceasefire; monitoring and verification mechanism with penalties.",
            occurred_note="Thursday night; framed as failure (29 Oct) and success (30 Oct)",
        ),
        dev(
            "talks-scheduled", "2025-10-30",
            "A high-level meeting in Istanbul on 6 November is to set the mechanism's modalities.",
            [src("https://esfeed.com/?p=198", "C2")],
            track=QT, venue="Istanbul", scheduled_for="2025-11-06",
        ),
        dev(
            "talks-held", "2025-11-06",
            "Third round at Istanbul's Conrad Hotel (DG ISI Asim Malik; GDI chief Abdul Haq Wasiq, "
            "Suhail Shaheen, Anas Haqqani), with restricted media access.",
            [src("https://theresolution.com.pk/?p=11391", "C2")],
            track=QT, venue="Istanbul",
        ),
        dev(
            "statement-issued", "2025-11-07",
            "Pakistan's FO says its delegation gave the mediators evidence-based demands and "
            "that 'the mediators fully endorsed Pakistan's stance'.",
            [src("https://www.dailypioneer.com/2025/trending-news/pakistan-presents-evidence-based-"
                 "demands-to-end-cross-border-terrorism.html", "C4")],
            actor="PAK", track=QT, stance="other", speaker="Tahir Hussain Andrabi, FO spokesperson",
            text="The mediators fully endorsed Pakistan's stance.",
            occurred_note="a party's claim about the mediators; no mediator confirmation found",
        ),
        dev(
            "talks-collapsed", "2025-11-07",
            "Talks in Istanbul break down: Asif says 'negotiations are over' after both sides fail "
            "to reach a consensus on cross-border terrorism; the ceasefire 'stands for the time being'.",
            [
                src("https://9xmnews.com/2025/11/08/pakistan-afghanistan-talks-in-istanbul-end-without-"
                    "breakthrough-udaipur-kiran", "C2"),
                src("https://menafn.com/1110356087/Pakistan-Welcomes-Irans-Mediation-Offer", "B2",
                    "Pajhwok via MENAFN", quote="most recent talks concluding on 7 November"),
                ARTICLE,
            ],
            track=QT, venue="Istanbul",
            reason="No consensus on cross-border terrorism and the Afghan Taliban's role in "
            "harbouring militants; no written agreement.",
            occurred_note="Friday night, on Geo",
        ),
        dev(
            "statement-issued", "2025-11-08",
            "Taliban spokesman Mujahid says the talks 'produced no result' and blames Pakistan's "
            "'irresponsible and uncooperative' stance.",
            [src("https://www.afintl.com/en/202511167838", "B2", "Afghanistan International")],
            actor="AFG", track=QT, stance="accuses", speaker="Zabihullah Mujahid",
            text="The talks produced no result because of Pakistan's irresponsible and uncooperative stance.",
        ),
        dev(
            "statement-issued", "2025-11-09",
            "Erdoğan announces a visit to Pakistan by Fidan, Güler and Kalın 'to seal a permanent "
            "ceasefire'; it had not taken place by early December.",
            [
                src("https://www.trtworld.com/article/77a984030061", "B2", "TRT World", quote="this week"),
                src("https://www.pakistantoday.com.pk/2025/11/09/turkiyes-top-officials-to-visit-pakistan-"
                    "next-week-over-tensions-with-afghanistan-president-erdogan", "B2", quote="next week"),
            ],
            actor="Turkey", track=QT, stance="other", speaker="Recep Tayyip Erdoğan",
            occurred_note="TRT says 'this week', Pakistan Today 'next week'",
        ),
        # -- Iran's track -------------------------------------------------------------------------
        dev(
            "mediation-offered", "2025-10-28",
            "President Pezeshkian offers to mediate and play a 'brotherly role' at the ECO Interior "
            "Ministers Meeting in Tehran; Interior Minister Naqvi thanks him.",
            [
                src("https://daijiworld.com/news/newsDisplay?newsID=1296404", "C2", quote="on Tuesday"),
                src("https://humenglish.com/latest/president-pezeshkian-offers-mediation-to-defuse-"
                    "pakistan-afghanistan-tensions", "C3", quote="on Wednesday"),
            ],
            mediators=["Iran"], parties=["PAK", "AFG"], speaker="Masoud Pezeshkian",
            occurred_note="Tuesday 28 Oct per daijiworld; HUM English says Wednesday",
        ),
        dev(
            "statement-issued", "2025-11-08..2025-11-09",
            "In a call with Ishaq Dar, FM Araghchi says Iran is prepared to provide any form of "
            "assistance to reduce tensions and promote dialogue between Islamabad and Kabul.",
            [
                src("https://tehrantimes.com/print/520192/Araghchi-says-Tehran-ready-to-help-ease-"
                    "Pakistan-Afghanistan", "B2", "Tehran Times", quote="on Sunday"),
                src("https://en.alawla.tv/2559-iran-expresses-readiness-to-help-resolve-disputes-between-"
                    "pakistan-and-afghanistan..html", "C3", quote="on Saturday"),
            ],
            actor="Tehran", parties=["AFG", "PAK"], stance="appeals", speaker="Abbas Araghchi",
            occurred_note="Saturday or Sunday: sources disagree",
        ),
        dev(
            "mediation-response", "2025-11-16",
            "Pakistan's FO welcomes Iran's offer: 'We would not shy away from any mediatory role "
            "by Iran. Mediations are always welcome.'",
            [
                src("https://www.dawn.com/news/1955464/pakistan-afghanistan-tensions-fo-says-will-not-shy-"
                    "away-from-any-mediatory-role-by-iran", "A2", "Dawn"),
                src("https://menafn.com/1110356087/Pakistan-Welcomes-Irans-Mediation-Offer", "B2",
                    "Pajhwok via MENAFN"),
                ARTICLE,
            ],
            track="IRN:AFG-PAK", party="Islamabad", response="welcomed",
            speaker="Tahir Hussain Andrabi, FO spokesperson",
        ),
        # -- Russia's two offers ----------------------------------------------------------------
        dev(
            "mediation-offered", "2025-11-14",
            "Foreign Ministry spokeswoman Zakharova: Russia is always ready to contribute to peace "
            "'if it is requested by the conflicting parties'.",
            [
                src("https://www.arabnews.pk/node/2622867", "B2", "Arab News Pakistan"),
                src("https://en.didpress.com/21403", "E3", "DID Press", quote="Saturday (November 15)"),
            ],
            mediators=["Russia"], parties=["Afghanistan", "Pakistan"], conditional=True,
            speaker="Maria Zakharova", occurred_note="Friday briefing; DID Press says Saturday 15 Nov",
        ),
        dev(
            "mediation-offered", "2025-11-17",
            "Ambassador Albert Khorev at the Islamabad Institute of Strategic Studies: 'Russia is "
            "prepared to play its part in reducing tensions with Pakistan's two neighbouring "
            "countries, Afghanistan and India.'",
            [ARTICLE],
            mediators=["Moscow"], parties=["AFG", "PAK"], speaker="Albert Khorev, ambassador to Pakistan",
            occurred_note="'on Monday' in the article; the date is derived",
        ),
        dev(
            "mediation-offered", "2025-11-17",
            "Ambassador Khorev offers Russia's help in reducing tensions between Pakistan and India.",
            [ARTICLE],
            mediators=["RUS"], parties=["India", "Pakistan"], speaker="Albert Khorev, ambassador to Pakistan",
            occurred_note="'on Monday' in the article; the date is derived",
        ),
        dev(
            "mediation-response", "2025-11-17..2025-11-20",
            "Pakistan's Foreign Office welcomes Russia's mediation offer, calling such "
            "interventions essential for long-term solutions.",
            [ARTICLE, src("https://timesofislamabad.com/?p=66486", "F4", "Times of Islamabad")],
            track="RUS:AFG-PAK", party="PAK", response="welcomed",
            occurred_note="undated; no formal FO answer found in the chronology",
        ),
        # -- other would-be mediators and a parallel track ------------------------------------------
        dev(
            "mediation-offered", "2025-10-17",
            "Trump: 'That's an easy one for me to solve if I have to solve that.' No acceptance "
            "was recorded.",
            [src("https://www.outlookindia.com/international/trump-claims-pakistan-afghanistan-conflict-"
                 "will-be-an-easy-one-to-solve", "B2", "Outlook India")],
            mediators=["United States"], parties=["AFG", "PAK"], conditional=True, speaker="Donald Trump",
        ),
        dev(
            "mediation-offered", "2025-11-30",
            "Saudi Arabia facilitates a separate exchange in Riyadh between the Pakistani team and "
            "an IEA delegation (Anas Haqqani, Rahmatullah Najib), details kept confidential.",
            [src("https://www.muslimnetwork.tv/taliban-pakistan-talks-in-riyadh-end-inconclusively-report",
                 "C3", "Dawn / Amu TV via Muslim Network")],
            mediators=["Riyadh"], parties=["AFG", "PAK"],
            occurred_note="'late Sunday', reported 1 Dec; no official confirmation",
        ),
        dev(
            "talks-held", "2025-11-30",
            "A brief exchange in Riyadh, 'not a full round of negotiations', ends without progress; "
            "Islamabad declines a Saudi suggestion to reopen trade.",
            [
                src("https://www.lokmattimes.com/international/saudi-arabia-mediated-pak-afghan-truce-talk-"
                    "fails-in-riyadh-report", "C3", "IANS via Lokmat Times", quote="no official confirmation"),
            ],
            track="SAU:AFG-PAK", venue="Riyadh", occurred_note="'late Sunday', reported 1 Dec",
        ),
        dev(
            "statement-issued", "2025-11",
            "Kabul denies accusations that it shelters groups responsible for attacks on Pakistani soil.",
            [ARTICLE],
            actor="Kabul", parties=["AFG", "PAK"], stance="denies",
            occurred_note="undated in the article",
        ),
    ]
