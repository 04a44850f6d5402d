"""Titles and next steps of the default gaps, in English and Italian.

Each function returns ``{"en": ..., "it": ...}``. The advice is ours, drawn
from the ideas of the course material: reach out every month, share something
useful to everyone, introduce people, invest before you need help, keep a plan.
"""

from __future__ import annotations

from collections.abc import Sequence

Text = dict[str, str]

TITLES: dict[str, Text] = {
    "map_too_small": {
        "en": "Map too small to read yet",
        "it": "Mappa ancora troppo piccola per leggerla",
    },
    "resilience_deficit": {
        "en": "Resilience deficit: a network built for the company",
        "it": "Poca resilienza: una rete costruita per l'azienda",
    },
    "missing_developmental_roles": {
        "en": "Missing developmental roles",
        "it": "Mancano figure che ti fanno crescere",
    },
    "dormant_ties": {"en": "Dormant ties", "it": "Legami dormienti"},
    "insular_network": {
        "en": "Insular network: mostly inside your organization",
        "it": "Rete insulare: quasi tutti nella tua organizzazione",
    },
    "narrow_network": {
        "en": "Narrow network: few different perspectives",
        "it": "Rete ristretta: pochi punti di vista diversi",
    },
    "closed_network": {
        "en": "Closed network: your contacts all know each other",
        "it": "Rete chiusa: i tuoi contatti si conoscono tutti",
    },
    "one_way_relationships": {
        "en": "One-way relationships: you rarely help",
        "it": "Relazioni a senso unico: aiuti di rado",
    },
    "not_a_connector": {
        "en": "Not yet a connector",
        "it": "Non fai ancora da ponte",
    },
    "no_personal_life": {
        "en": "No personal-life contacts",
        "it": "Nessun contatto dalla vita privata",
    },
    "draining_ties": {"en": "Draining ties", "it": "Legami che ti tolgono energia"},
}


def join_names(names: Sequence[str], lang: str) -> str:
    """Names joined as "A, B and C" (Italian: "A, B e C")."""
    conjunction = " e " if lang == "it" else " and "
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + conjunction + names[-1]


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def it_percent(value: float) -> str:
    """A percentage with its Italian article: "lo 0%", "l'80%", "il 33%"."""
    number = round(value * 100)
    if number == 0:
        return "lo 0%"
    if number in (1, 8, 11) or 80 <= number <= 89:
        return f"l'{number}%"
    return f"il {number}%"


def choose(count: int, one: str, many: str) -> str:
    """Singular or plural wording for ``count``."""
    return one if count == 1 else many


def decimal(value: float, lang: str) -> str:
    """Two decimals, with a decimal comma in Italian."""
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "it" else text


def resilience_deficit(growth_share: float, candidates: Sequence[str]) -> Text:
    en_with = it_with = ""
    if candidates:
        one = len(candidates) == 1
        en_verbs = "energizes, nurtures or challenges" if one else "energize, nurture or challenge"
        it_verbs = (
            "ti dà energia, ti sostiene o ti mette alla prova"
            if one
            else "ti danno energia, ti sostengono o ti mettono alla prova"
        )
        en_with = f", for example with {join_names(candidates, 'en')}, who already {en_verbs} you"
        it_with = f", per esempio con {join_names(candidates, 'it')}, che già {it_verbs}"
    if growth_share == 0:
        en_start = "None of your contacts is there for your own growth: they all serve your "
        en_start += "employer's goals."
        it_start = "Nessuno dei tuoi contatti è lì per la tua crescita: servono tutti agli "
        it_start += "obiettivi del tuo datore di lavoro."
    else:
        en_start = f"Only {percent(growth_share)} of your contacts are there for your own "
        en_start += "growth; the rest serve your employer's goals."
        it_start = f"Solo {it_percent(growth_share)} dei tuoi contatti serve alla tua crescita; "
        it_start += "gli altri servono agli obiettivi del tuo datore di lavoro."
    return {
        "en": f"{en_start} Invest before you need it: this month, book one conversation about "
        f"your development rather than a deliverable{en_with}. Write it down as one of your "
        "commitments.",
        "it": f"{it_start} Investi prima di averne bisogno: questo mese fissa una conversazione "
        f"sul tuo sviluppo e non su una consegna{it_with}. Annotala tra i tuoi impegni.",
    }


def missing_developmental_roles(
    missing_en: Sequence[str], missing_it: Sequence[str], candidates: Sequence[str]
) -> Text:
    en_start = it_start = ""
    if candidates:
        one = len(candidates) == 1
        en_verbs = "challenges or supports" if one else "challenge or support"
        it_verbs = (
            "ti mette alla prova o ti sostiene" if one else "ti mettono alla prova o ti sostengono"
        )
        en_start = f" {join_names(candidates, 'en')} already {en_verbs} you: start there."
        it_start = f" {join_names(candidates, 'it')} già {it_verbs}: puoi cominciare da lì."
    return {
        "en": f"Nobody on your map plays these roles: {join_names(missing_en, 'en')}. Write down "
        "two people who could, and ask one of them for half an hour of conversation before the "
        f"next session.{en_start}",
        "it": "Nella tua mappa nessuno ricopre questi ruoli: "
        f"{join_names(missing_it, 'it')}. Scrivi il nome di due persone che potrebbero farlo e "
        f"chiedi a una di loro mezz'ora di conversazione prima della prossima sessione.{it_start}",
    }


def dormant_ties(count: int, months: int, names: Sequence[str]) -> Text:
    if names:
        one = len(names) == 1
        en_who = "the dormant contact" if one else "the dormant contacts"
        it_who = "il contatto dormiente" if one else "i contatti dormienti"
        en_ask = f"Reach out to {join_names(names, 'en')}, {en_who} you were closest to"
        it_ask = f"Scrivi a {join_names(names, 'it')}, {it_who} con cui avevi il legame più stretto"
    else:
        en_ask = "Pick the dormant contact you would most like to hear from and reach out"
        it_ask = "Scegli il contatto dormiente che ti piacerebbe di più risentire e scrivigli"
    return {
        "en": f"You have not really been in touch with {count} of your contacts for {months} "
        f"months or more. {en_ask}: a short note with something useful (an article, a tool, "
        "an introduction) is enough. Then make it a habit: one reconnection every month.",
        "it": f"Con {count} dei tuoi contatti non hai un vero scambio da almeno {months} mesi. "
        f"{it_ask}: basta un breve messaggio con qualcosa di utile (un articolo, uno strumento, "
        "una presentazione). Poi fanne un'abitudine: una persona ritrovata ogni mese.",
    }


def insular_network(inside: int, size: int, outside_names: Sequence[str]) -> Text:
    en_names = it_names = ""
    if outside_names:
        one = len(outside_names) == 1
        en_names = (
            f", and get back in touch with {join_names(outside_names, 'en')}, who already "
            f"{'works' if one else 'work'} elsewhere"
        )
        it_names = (
            f", e fatti risentire con {join_names(outside_names, 'it')}, che "
            f"{'lavora' if one else 'lavorano'} già altrove"
        )
    # "All 8 of your contacts", never "8 of your 8 contacts".
    if inside == size == 1:
        en_who, it_who = "Your one contact", "Il tuo unico contatto"
    elif inside == size:
        en_who, it_who = f"All {size} of your contacts", f"Tutti e {size} i tuoi contatti"
    else:
        en_who, it_who = f"{inside} of your {size} contacts", f"{inside} dei tuoi {size} contatti"
    return {
        "en": f"{en_who} {choose(inside, 'works', 'work')} inside your "
        "own organization, so most of what you hear comes from one place. This quarter, join one "
        f"outside group, such as a professional association or a community of practice{en_names}.",
        "it": f"{it_who} {choose(inside, 'lavora', 'lavorano')} nella "
        "tua stessa organizzazione: quasi tutto ciò che senti arriva da un solo posto. In questo "
        "trimestre entra in un gruppo esterno, come un'associazione professionale o una "
        f"comunità di pratica{it_names}.",
    }


def map_too_small(size: int, minimum: int) -> Text:
    if size == 0:
        return {
            "en": "Your map is still empty. Start with five people who help you grow: someone "
            "who teaches you, someone a few steps ahead, a peer in another company. Then add "
            "the people you work with every day.",
            "it": "La tua mappa è ancora vuota. Comincia da cinque persone che ti fanno crescere: "
            "qualcuno da cui impari, qualcuno qualche passo avanti a te, un collega di un'altra "
            "azienda. Poi aggiungi le persone con cui lavori ogni giorno.",
        }
    more = minimum - size
    return {
        "en": f"Your map has only {size} {choose(size, 'person', 'people')} so far: too few to "
        f"say much about its shape. Before anything else, add at least {more} more: people who "
        "help you grow (a mentor, someone a few steps ahead, a peer in another company), the "
        "people you work with every day, and someone from your personal life. The rest of "
        "this report will mean more once they are there.",
        "it": f"Per ora la tua mappa ha solo {size} {choose(size, 'persona', 'persone')}: troppo "
        "poche per dire molto sulla sua forma. Prima di tutto aggiungine almeno "
        f"{more}: persone che ti fanno crescere (un mentore, qualcuno qualche passo avanti a te, "
        "un collega di un'altra azienda), le persone con cui lavori ogni giorno e qualcuno della "
        "tua vita privata. Il resto di questo report avrà più senso quando ci saranno.",
    }


_SAME_ATTRIBUTE: dict[str, Text] = {
    "function": {"en": "function", "it": "la stessa funzione"},
    "industry": {"en": "industry", "it": "lo stesso settore"},
    "origin": {"en": "origin", "it": "la stessa origine"},
}
_YOUR_ATTRIBUTE: dict[str, Text] = {
    "function": {"en": "function", "it": "la tua stessa funzione"},
    "industry": {"en": "industry", "it": "il tuo stesso settore"},
}
_FEW_ATTRIBUTE: dict[str, dict[str, tuple[str, str]]] = {
    "function": {"en": ("function", "functions"), "it": ("funzione", "funzioni")},
    "industry": {"en": ("industry", "industries"), "it": ("settore", "settori")},
}


def narrow_network(
    attribute: str,
    dominant: Text,
    dominant_share: float,
    bridge_names: Sequence[str],
    *,
    reason: str = "mix",
    distinct: int = 0,
) -> Text:
    """Next step of the narrow-network gap.

    ``reason`` is "same" (many contacts share the participant's own function or
    industry, ``dominant``), "few" (only ``distinct`` different values of
    ``attribute``) or "mix" (low diversity overall; ``dominant`` is the most
    common value of the narrowest attribute).
    """
    if bridge_names:
        en_ask = f"Ask {join_names(bridge_names, 'en')}"
        it_ask = f"Chiedi a {join_names(bridge_names, 'it')}"
    else:
        en_ask = "Ask someone on your map"
        it_ask = "Chiedi a qualcuno della tua mappa"
    en_step = (
        f"{en_ask} to introduce you to one person from a function or industry you rarely "
        "meet, and go to one event outside your usual circle."
    )
    it_step = (
        f"{it_ask} di presentarti una persona di una funzione o di un settore che frequenti "
        "poco, e partecipa a un evento fuori dalla tua cerchia abituale."
    )
    if reason == "same" and attribute in _YOUR_ATTRIBUTE:
        yours = _YOUR_ATTRIBUTE[attribute]
        en_start = (
            f"Your contacts look like you: {percent(dominant_share)} work in your own "
            f"{yours['en']} ({dominant['en']})."
        )
        it_start = (
            f"I tuoi contatti ti somigliano: {it_percent(dominant_share)} ha {yours['it']} "
            f"({dominant['it']})."
        )
    elif reason == "few" and attribute in _FEW_ATTRIBUTE:
        words = _FEW_ATTRIBUTE[attribute]
        en_word = choose(distinct, *words["en"])
        it_word = choose(distinct, *words["it"])
        en_start = f"Your contacts come from only {distinct} different {en_word}."
        it_start = f"I tuoi contatti si dividono fra appena {distinct} {it_word}."
        if distinct == 1:
            en_start = f"All your contacts work in the same {words['en'][0]} ({dominant['en']})."
            it_start = f"Tutti i tuoi contatti hanno {_SAME_ATTRIBUTE[attribute]['it']} " + (
                f"({dominant['it']})."
            )
    else:
        same = _SAME_ATTRIBUTE[attribute]
        en_start = (
            f"Your contacts look alike: {percent(dominant_share)} share the same {same['en']} "
            f"({dominant['en']})."
        )
        it_start = (
            f"I tuoi contatti si somigliano: {it_percent(dominant_share)} ha {same['it']} "
            f"({dominant['it']})."
        )
    return {"en": f"{en_start} {en_step}", "it": f"{it_start} {it_step}"}


def closed_network(density: float, constraint: float, bridge_names: Sequence[str]) -> Text:
    en_names = it_names = ""
    if bridge_names:
        one = len(bridge_names) == 1
        en_names = (
            f", such as {join_names(bridge_names, 'en')}, who "
            f"{'knows' if one else 'know'} few of the others"
        )
        it_names = (
            f", come {join_names(bridge_names, 'it')}, che "
            f"{'conosce' if one else 'conoscono'} pochi degli altri"
        )
    return {
        "en": f"Many of your contacts know each other (density {decimal(density, 'en')}, "
        f"constraint {decimal(constraint, 'en')}), so they tend to hear the same news and share "
        f"the same views. Give time to the people who link you to other circles{en_names}, and "
        "add one contact this month who knows nobody else on your map.",
        "it": f"Molti dei tuoi contatti si conoscono tra loro (densità {decimal(density, 'it')}, "
        f"vincolo {decimal(constraint, 'it')}): tendono a sentire le stesse notizie e a pensarla "
        f"allo stesso modo. Dedica tempo a chi ti collega ad altri ambienti{it_names}, e questo "
        "mese aggiungi un contatto che non conosce nessun altro della tua mappa.",
    }


def one_way_relationships(
    helped_share: float, helped_by_share: float, names: Sequence[str]
) -> Text:
    en_names = join_names(names, "en") if names else "two people on your map"
    it_names = join_names(names, "it") if names else "due persone della tua mappa"
    if helped_share == 0:
        en_start = "In the last six months you helped none of your contacts"
        it_start = "Negli ultimi sei mesi non hai aiutato nessuno dei tuoi contatti"
    else:
        en_start = f"In the last six months you helped {percent(helped_share)} of your contacts"
        it_start = f"Negli ultimi sei mesi hai aiutato {it_percent(helped_share)} dei tuoi contatti"
    return {
        "en": f"{en_start}, and {percent(helped_by_share)} helped you. Give before you need to "
        f"ask: before the next session, offer something to {en_names}: an article, an "
        "introduction, an hour of your time.",
        "it": f"{it_start}, e {it_percent(helped_by_share)} ha aiutato te. Dai prima di dover "
        f"chiedere: prima della prossima sessione offri qualcosa a {it_names}: un articolo, una "
        "presentazione, un'ora del tuo tempo.",
    }


def not_a_connector(introduced_share: float, pair: Sequence[str]) -> Text:
    en_pair = it_pair = ""
    if len(pair) == 2:
        en_pair = f", for example {join_names(pair, 'en')}, who don't know each other yet"
        it_pair = f", per esempio {join_names(pair, 'it')}, che ancora non si conoscono"
    if introduced_share == 0:
        en_start = "You have not yet introduced any of your contacts to someone else."
        it_start = "Non hai ancora presentato nessuno dei tuoi contatti ad altri."
    else:
        en_start = (
            f"You have introduced only {percent(introduced_share)} of your contacts to "
            "someone else."
        )
        it_start = f"Hai presentato ad altri solo {it_percent(introduced_share)} dei tuoi contatti."
    return {
        "en": f"{en_start} Be the bridge: pick two people who would gain from knowing each other"
        f"{en_pair}, and introduce them with a short note that says why.",
        "it": f"{it_start} Fai da ponte: scegli due persone che avrebbero da guadagnare a "
        f"conoscersi{it_pair}, e presentale con due righe che spieghino perché.",
    }


def no_personal_life(count: int) -> Text:
    if count == 0:
        en_start = "Your map has nobody from your personal life."
        it_start = "Nella tua mappa non c'è nessuno della tua vita privata."
    else:
        en_start = f"Only {count} of your contacts {choose(count, 'comes', 'come')} from your "
        en_start += "personal life."
        it_start = f"Solo {count} dei tuoi contatti {choose(count, 'viene', 'vengono')} dalla "
        it_start += "tua vita privata."
    return {
        "en": f"{en_start} Friends, neighbours and people from your sports club or hobby group "
        "belong in your network too: they widen your world and often help in ways you do not "
        "expect. Add the ones you already have, and plan one get-together outside work this "
        "month.",
        "it": f"{it_start} Anche amici, vicini di casa e compagni di sport o di hobby fanno parte "
        "della tua rete: allargano il tuo mondo e spesso aiutano in modi inattesi. Aggiungi "
        "quelli che hai già e organizza questo mese un incontro fuori dal lavoro.",
    }


def draining_ties(count: int, names: Sequence[str], energizers: Sequence[str]) -> Text:
    en_names = f" ({join_names(names, 'en')})" if names else ""
    it_names = f" ({join_names(names, 'it')})" if names else ""
    en_energy = f" (for example {join_names(energizers, 'en')})" if energizers else ""
    it_energy = f" (per esempio {join_names(energizers, 'it')})" if energizers else ""
    one = count == 1
    return {
        "en": f"{count} of your contacts {'leaves' if one else 'leave'} you drained{en_names}. "
        f"You cannot always avoid {'them' if not one else 'this person'}, but you can shape the "
        "time you spend together: a clear agenda, shorter meetings, and time with people who "
        f"give you energy{en_energy} to balance it.",
        "it": f"{count} dei tuoi contatti {'ti toglie' if one else 'ti tolgono'} energia"
        f"{it_names}. Non sempre puoi evitare {'questa persona' if one else 'queste persone'}, ma "
        "puoi decidere come "
        "passare il tempo insieme: un ordine del giorno chiaro, incontri più brevi e, per "
        f"compensare, tempo con chi ti dà energia{it_energy}.",
    }
