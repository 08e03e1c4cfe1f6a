"""Every piece of UI text, in Danish and English, and the reader's language.

The language is Danish unless the reader picked English with the switch in the navigation bar
(remembered in the `sprog` cookie). Outside a request (the CLI, the exports) it is Danish.
`t("shell.data_as_of", date=...)` looks a text up in the reader's language and fills in its fields.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from babel import Locale
from flask import has_request_context, request

LANGUAGES = ("da", "en")
DEFAULT = "da"
COOKIE = "sprog"
_forced: ContextVar[str | None] = ContextVar("forced_language", default=None)


def language() -> str:
    """The reader's language: forced by `using`, else the cookie, else Danish."""
    forced = _forced.get()
    if forced:
        return forced
    if has_request_context():
        chosen = request.cookies.get(COOKIE)
        if chosen in LANGUAGES:
            return chosen
    return DEFAULT


@contextmanager
def using(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block, whatever the reader chose (exports stay Danish)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    token = _forced.set(lang)
    try:
        yield
    finally:
        _forced.reset(token)


def t(key: str, **fields: object) -> str:
    """The text for `key` in the reader's language, its {fields} filled in."""
    text = CATALOGUE[key][language()]
    return text.format(**fields) if fields else text


@functools.cache
def _plural_rule(lang: str) -> Callable[[int], str]:
    return Locale.parse(lang).plural_form


def tn(key: str, n: int, **fields: object) -> str:
    """The text for `key` in the plural form that `n` takes in the reader's language, {n} and
    its other {fields} filled in: tn("finding.ranking_many", 1, ...) is "... og 1 anden
    kommune ...", with 2 "... og 2 andre kommuner ...". The catalogue holds one text per
    form, `<key>.one` and `<key>.other` (CLDR's plural forms, by babel: Danish and English
    have these two); a form the catalogue lacks falls back to `<key>.other`."""
    form = _plural_rule(language())(abs(n))
    chosen = f"{key}.{form}" if f"{key}.{form}" in CATALOGUE else f"{key}.other"
    return t(chosen, n=n, **fields)


class Labels(Mapping):
    """A code -> label table that answers in the reader's language: `Labels("status")["attended"]`
    is t("status.attended")."""

    def __init__(self, prefix: str, codes: tuple[str, ...]):
        self.prefix, self.codes = prefix, codes

    def __getitem__(self, code: str) -> str:
        if code not in self.codes:
            raise KeyError(code)
        return t(f"{self.prefix}.{code}")

    def __iter__(self):
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)


# The catalogue: one line per text, {"da": ..., "en": ...}. tests/test_i18n.py fails on a text
# missing a language, and on a Danish text showing up in an English page.
CATALOGUE: dict[str, dict[str, str]] = {
    # --- the language switch: each language's own name --------------------------------------
    "language.name": {"da": "Dansk", "en": "English"},
    "language.switch": {"da": "Skift sprog til {name}", "en": "Change language to {name}"},

    # --- the shell ----------------------------------------------------------------------------
    "app.name": {"da": "Borgmesterforløb", "en": "Mayors' programme"},
    "app.loading": {"da": "Indlæser …", "en": "Loading …"},
    "app.page_title": {"da": "{page} – Borgmesterforløb", "en": "{page} – Mayors' programme"},
    "shell.skip": {"da": "Gå til indholdet", "en": "Skip to content"},
    "shell.menu": {"da": "Vis eller skjul menuen", "en": "Show or hide the menu"},
    "shell.data_as_of": {"da": "Data pr. {date}", "en": "Data as of {date}"},
    "shell.demo": {"da": "Demodata", "en": "Demo data"},
    "shell.demo_title": {"da": "Borgmestre og tilmeldinger er fiktive demodata",
                         "en": "Mayors and registrations are fictional demo data"},
    "shell.demo_strip": {"da": ": borgmestre og tilmeldinger er fiktive, ikke KL's egne tal.",
                         "en": ": mayors and registrations are fictional, not KL's own figures."},
    "shell.logout": {"da": "Log ud", "en": "Log out"},
    "shell.printed_from": {"da": "Udskrevet fra", "en": "Printed from"},
    "shell.programme": {"da": "Forløb", "en": "Programme"},
    "filters.heading": {"da": "Filtre", "en": "Filters"},
    "filters.toggle": {"da": "Filtre", "en": "Filters"},
    "filters.copy_link": {"da": "Kopiér link", "en": "Copy link"},
    "filters.link_copied": {"da": "Link kopieret", "en": "Link copied"},
    "filters.link_not_copied": {"da": "Kunne ikke kopiere: kopiér adressen fra adresselinjen",
                                "en": "Could not copy: copy the address from the address bar"},
    "filters.reset": {"da": "Nulstil filtre", "en": "Reset filters"},
    "filters.no_chips": {"da": "Ingen filtre: hele forløbet, alle kommuner",
                     "en": "No filters: the whole programme, every municipality"},
    "filters.none_apply": {"da": "Tallene på denne side kan ikke filtreres efter region, "
                                 "sessionstype, målgruppe eller år: de gælder hele forløbet.",
                           "en": "The numbers on this page cannot be filtered by region, "
                                 "session type, audience or year: they cover the whole "
                                 "programme."},
    "filters.some_apply": {"da": "Tallene på denne side kan ikke filtreres efter {names}.",
                           "en": "The numbers on this page cannot be filtered by {names}."},
    "filters.name.regions": {"da": "Region", "en": "Region"},
    "filters.name.formats": {"da": "Sessionstype", "en": "Session type"},
    "filters.name.audiences": {"da": "Målgruppe", "en": "Audience"},
    "filters.name.years": {"da": "År", "en": "Year"},
    "page.overview": {"da": "Overblik", "en": "Overview"},
    "page.municipalities": {"da": "Kommuner", "en": "Municipalities"},
    "page.retention": {"da": "Fastholdelse", "en": "Retention"},
    "page.revenue": {"da": "Økonomi", "en": "Revenue"},
    "page.geography": {"da": "Geografi", "en": "Geography"},
    "page.planning": {"da": "Planlægning", "en": "Planning"},
    "page.data": {"da": "Data", "en": "Data"},
    "page.municipality": {"da": "Kommune", "en": "Municipality"},
    "page.session": {"da": "Session", "en": "Session"},

    # --- drill-through: a municipality's page and a session's page ------------------------------
    "drill.municipality_missing": {"da": "Kommunen findes ikke",
                                   "en": "No such municipality"},
    "drill.municipality_missing_text": {
        "da": "Der er ingen kommune med koden «{code}». Koden er Danmarks Statistiks "
              "kommunekode, fx 621 for Kolding.",
        "en": "There is no municipality with the code “{code}”. The code is Statistics "
              "Denmark's municipality code, e.g. 621 for Kolding."},
    "drill.back_to_municipalities": {"da": "Tilbage til Kommuner",
                                     "en": "Back to Municipalities"},
    "drill.session_missing": {"da": "Sessionen findes ikke", "en": "No such session"},
    "drill.session_missing_text": {
        "da": "Der er ingen session med id'et «{session_id}».",
        "en": "There is no session with the id “{session_id}”."},
    "drill.back_to_overview": {"da": "Tilbage til Overblik", "en": "Back to the Overview"},
    "drill.municipality_facts": {"da": "{region} · {population} indbyggere · kommunekode {code}",
                                 "en": "{region} · population {population} · "
                                       "municipality code {code}"},
    "drill.mayors": {"da": "Borgmestre i forløbets periode",
                     "en": "Mayors during the programme's period"},
    "drill.no_mayors": {"da": "Ingen borgmester registreret i forløbets periode.",
                        "en": "No mayor recorded during the programme's period."},
    "drill.still_in_office": {"da": "stadig i embede", "en": "still in office"},
    "drill.sessions": {"da": "Forløbets sessioner", "en": "The programme's sessions"},
    "drill.no_sessions": {"da": "Forløbet har ingen sessioner.",
                          "en": "The programme has no sessions."},
    "drill.attended_of_held": {"da": "{attended} af {held} afholdte",
                               "en": "{attended} of {held} held"},
    "drill.travel_note": {"da": "luftlinje fra rådhuset, i alt til de fysiske sessioner, "
                                "kommunen deltog i",
                          "en": "straight line from the town hall, in all to the physical "
                                "sessions the municipality attended"},
    "drill.travel_total": {"da": "Rejse (km)", "en": "Travel (km)"},
    "drill.not_invoiced_note": {"da": "heraf ikke faktureret: {amount}",
                                "en": "of which not invoiced: {amount}"},
    "drill.session_facts": {"da": "{date} · {format} · {audience} · {programme}",
                            "en": "{date} · {format} · {audience} · {programme}"},
    "drill.online": {"da": "Online", "en": "Online"},
    "drill.venue": {"da": "Sted", "en": "Venue"},
    "drill.participants": {"da": "Tilmeldte kommuner og borgmestre",
                           "en": "Registered municipalities and mayors"},
    "drill.no_participants": {"da": "Ingen tilmeldinger til sessionen.",
                              "en": "No registrations for the session."},
    "drill.open_page": {"da": "Åbn kommunens side", "en": "Open the municipality's page"},
    "drill.open_session": {"da": "Åbn sessionens side", "en": "Open the session's page"},
    "col.session_state": {"da": "Afholdt?", "en": "Held?"},
    "col.travel_km": {"da": "Km (luftlinje)", "en": "Km (straight line)"},
    "col.invoiced_at": {"da": "Faktureret den", "en": "Invoiced on"},
    "col.term_start": {"da": "Tiltrådt", "en": "Took office"},
    "col.term_end": {"da": "Fratrådt", "en": "Left office"},

    # --- login and errors ---------------------------------------------------------------------
    "login.title": {"da": "Log ind – Borgmesterforløb", "en": "Log in – Mayors' programme"},
    "login.intro": {"da": "Kun for KL's medarbejdere. Log ind for at fortsætte.",
                    "en": "For KL staff only. Log in to continue."},
    "login.username": {"da": "Brugernavn", "en": "User name"},
    "login.password": {"da": "Adgangskode", "en": "Password"},
    "login.submit": {"da": "Log ind", "en": "Log in"},
    "login.locked": {"da": "For mange forkerte forsøg: prøv igen om {minutes} min., eller "
                           "kontakt en administrator.",
                     "en": "Too many failed attempts: try again in {minutes} min, or contact an "
                           "administrator."},
    "login.wait": {"da": "For mange forkerte forsøg i træk: prøv igen om {seconds} s.",
                   "en": "Too many failed attempts in a row: try again in {seconds} s."},
    "login.wrong": {"da": "Forkert brugernavn eller adgangskode.",
                    "en": "Wrong user name or password."},
    "error.login_first": {"da": "Log ind først.", "en": "Log in first."},
    "error.csrf": {"da": "Sikkerhedstoken mangler eller er udløbet; genindlæs siden.",
                   "en": "The security token is missing or has expired; reload the page."},
    "error.too_large": {"da": "Filen er for stor; grænsen er {mb} MB.",
                        "en": "The file is too large; the limit is {mb} MB."},
    "error.failed": {"da": "Der opstod en fejl; prøv igen, eller kontakt en administrator.",
                     "en": "Something went wrong; try again, or contact an administrator."},

    # --- shared components --------------------------------------------------------------------
    "export.menu": {"da": "Eksportér", "en": "Export"},
    "export.menu_label": {"da": "Eksportér: {chart}", "en": "Export: {chart}"},
    "export.png": {"da": "PNG (billede)", "en": "PNG (image)"},
    "export.svg": {"da": "SVG (vektor)", "en": "SVG (vector)"},
    "export.pdf": {"da": "PDF", "en": "PDF"},
    "export.xlsx": {"da": "Data som Excel", "en": "Data as Excel"},
    "export.csv": {"da": "Data som CSV", "en": "Data as CSV"},
    "table.menu": {"da": "Hent tabel", "en": "Download table"},
    "table.xlsx": {"da": "Excel (XLSX)", "en": "Excel (XLSX)"},
    "table.csv": {"da": "CSV", "en": "CSV"},
    "table.none": {"da": "Ingen.", "en": "None."},
    "table.total": {"da": "I alt", "en": "Total"},
    "table.all": {"da": "Hent alle tabeller", "en": "Download all tables"},
    "table.all_title": {"da": "Data fra alle sidens figurer og tabeller i én Excel-fil",
                        "en": "The data of every chart and table on the page in one Excel file"},
    # --- what an exported file says about itself (the "Om data" sheet, a chart's footer) ----
    "about_file.sheet": {"da": "Om data", "en": "About the data"},
    "about_file.what": {"da": "Indhold", "en": "Contents"},
    "about_file.source": {"da": "Kilde", "en": "Source"},
    "about_file.source_text": {"da": "KL-tilmeldinger (Borgmesterforløb-dashboardet)",
                               "en": "KL registrations (the mayors' programme dashboard)"},
    "about_file.data_as_of": {"da": "Data pr.", "en": "Data as of"},
    "about_file.programme": {"da": "Forløb", "en": "Programme"},
    "about_file.filters": {"da": "Filtre", "en": "Filters"},
    "about_file.kind": {"da": "Data", "en": "Data"},
    "about_file.demo": {"da": "DEMODATA: borgmestre og tilmeldinger er fiktive",
                        "en": "DEMO DATA: mayors and registrations are fictitious"},
    "about_file.real": {"da": "Rigtige data", "en": "Real data"},
    "about_file.made_at": {"da": "Lavet", "en": "Made"},
    "about_file.footer": {"da": "Kilde: KL-tilmeldinger, data pr. {date}. Filtre: {filters}.",
                          "en": "Source: KL registrations, data as of {date}. Filters: {filters}."},
    "about_file.demo_mark": {"da": "DEMODATA", "en": "DEMO DATA"},
    "filters.none": {"da": "ingen (hele forløbet, alle kommuner)",
                     "en": "none (the whole programme, every municipality)"},
    "filters.region": {"da": "region: {values}", "en": "region: {values}"},
    "filters.format": {"da": "sessionstype: {values}", "en": "session type: {values}"},
    "filters.audience": {"da": "målgruppe: {values}", "en": "audience: {values}"},
    "filters.year": {"da": "år: {values}", "en": "year: {values}"},
    "filters.vat_incl": {"da": "beløb inkl. moms", "en": "amounts incl. VAT"},
    "filters.vat_ex": {"da": "beløb ekskl. moms", "en": "amounts ex VAT"},
    "filters.compared": {"da": "sammenlignet med {programme}", "en": "compared with {programme}"},
    "chart.as_table": {"da": "Vis som tabel", "en": "Show as table"},
    "chart.loading": {"da": "Grafen indlæses …", "en": "The chart is loading …"},
    "yes": {"da": "ja", "en": "yes"},
    "no": {"da": "nej", "en": "no"},
    "never": {"da": "aldrig", "en": "never"},
    "of": {"da": "{part} af {whole}", "en": "{part} of {whole}"},

    # --- codes the data uses ------------------------------------------------------------------
    "format.day": {"da": "Dagsession", "en": "Day session"},
    "format.overnight": {"da": "Døgnsession", "en": "Overnight session"},
    "format.online": {"da": "Onlinemøde", "en": "Online meeting"},
    "session_title.intro": {"da": "Introsession for nyvalgte ({format})",
                            "en": "Intro session for the newly elected ({format})"},
    "format_short.day": {"da": "dag", "en": "day"},
    "format_short.overnight": {"da": "døgn", "en": "overnight"},
    "format_short.online": {"da": "online", "en": "online"},
    "audience.intro": {"da": "Intro for nyvalgte", "en": "Intro for the newly elected"},
    "audience.all": {"da": "For alle", "en": "For all"},
    "status.attended": {"da": "Deltaget", "en": "Attended"},
    "status.registered": {"da": "Tilmeldt, afventer", "en": "Registered, pending"},
    "status.no_show": {"da": "Udeblevet", "en": "No-show"},
    "status.cancelled": {"da": "Afmeldt", "en": "Cancelled"},
    "status.not_registered": {"da": "Ikke tilmeldt", "en": "Not registered"},
    # One letter per status in the matrix's cells, so the colour is never alone.
    "status_letter.attended": {"da": "D", "en": "A"},
    "status_letter.registered": {"da": "T", "en": "R"},
    "status_letter.no_show": {"da": "U", "en": "N"},
    "status_letter.cancelled": {"da": "A", "en": "C"},
    "status_letter.not_registered": {"da": "", "en": ""},
    "cohort.newly_elected": {"da": "Nyvalgte borgmestre", "en": "Newly elected mayors"},
    "cohort.re_elected": {"da": "Genvalgte borgmestre", "en": "Re-elected mayors"},
    "path.newly_elected_intro": {"da": "Nyvalgte, deltog i intro",
                                 "en": "Newly elected, attended the intro"},
    "path.newly_elected_no_intro": {"da": "Nyvalgte, ikke i intro",
                                    "en": "Newly elected, not at the intro"},
    "path.re_elected": {"da": "Genvalgte", "en": "Re-elected"},
    "vat.ex": {"da": "ekskl. moms", "en": "ex VAT"},
    "vat.incl": {"da": "inkl. moms", "en": "incl. VAT"},
    "vat.ex_label": {"da": "Ekskl. moms", "en": "Ex VAT"},
    "vat.incl_label": {"da": "Inkl. moms", "en": "Incl. VAT"},

    # --- charts (dashboard.figures) -----------------------------------------------------------
    "fig.hover_mayors": {"da": "{n} borgmestre", "en": "{n} mayors"},
    "fig.hover_sessions": {"da": "{n} sessioner", "en": "{n} sessions"},
    "fig.hover_registered": {"da": "{n} tilmeldte", "en": "{n} registered"},
    "fig.of_mayors": {"da": "{part} af {whole} borgmestre", "en": "{part} of {whole} mayors"},
    "fig.watermark": {"da": "DEMODATA", "en": "DEMO DATA"},
    "fig.no_data": {"da": "Ingen data", "en": "No data"},
    "fig.mayors": {"da": "Borgmestre", "en": "Mayors"},
    "fig.turnout": {"da": "Tilmeldte og deltagere pr. session",
                    "en": "Registered and attended per session"},
    "fig.attended_of": {"da": "{attended} af {offered} sessioner deltaget",
                        "en": "attended {attended} of {offered} sessions"},
    "fig.map_legend": {"da": "Sessioner deltaget (antal kommuner):",
                       "en": "Sessions attended (municipalities):"},
    "fig.map_never": {"da": "0, aldrig deltaget ({n})", "en": "0, never attended ({n})"},
    "fig.map_town_halls": {"da": " (kommunernes rådhuse)", "en": " (the town halls)"},
    "fig.participation_map": {"da": "Deltagelse pr. kommune",
                              "en": "Participation per municipality"},
    "fig.sessions": {"da": "Sessioner", "en": "Sessions"},
    "fig.ranking": {"da": "Kommunerne rangeret efter deltagelse",
                    "en": "Municipalities ranked by participation"},
    "fig.matrix": {"da": "Kommune × session", "en": "Municipality × session"},
    "fig.share_registered": {"da": "Andel tilmeldt", "en": "Share registered"},
    "fig.retention": {"da": "Nyvalgte mod genvalgte: andel tilmeldt pr. afholdt session",
                      "en": "Newly elected against re-elected: share registered per session held"},
    "fig.intro_path": {"da": "Fra introforløbet og frem: andel tilmeldt til afholdte "
                             "fællessessioner",
                       "en": "From the intro sessions onward: share registered for joint "
                             "sessions held"},
    "fig.group_n": {"da": "{name} (n = {n})", "en": "{name} (n = {n})"},
    "fig.group_small": {"da": "{name} (n = {n}, under {min})",
                        "en": "{name} (n = {n}, under {min})"},
    "fig.invoiced": {"da": "Faktureret", "en": "Invoiced"},
    "fig.not_invoiced": {"da": "Ikke faktureret endnu", "en": "Not yet invoiced"},
    "fig.kroner_axis": {"da": "kr. {vat}", "en": "DKK {vat}"},
    "fig.price_unknown": {"da": " (pris ukendt)", "en": " (price unknown)"},
    "fig.revenue_by_format": {"da": "Omsætning pr. sessionstype", "en": "Revenue per session type"},
    "fig.revenue_by_session": {"da": "Omsætning pr. session", "en": "Revenue per session"},
    "fig.booked": {"da": "Bindende tilmeldt", "en": "Booked (binding)"},
    "fig.revenue_over_time": {"da": "Omsætning over tid, akkumuleret ({vat})",
                              "en": "Revenue over time, cumulative ({vat})"},
    "fig.town_halls": {"da": "Rådhuse", "en": "Town halls"},
    "fig.demo_venue": {"da": "Demo-sted", "en": "Demo venue"},
    "fig.participants.one": {"da": "{n} deltager", "en": "{n} participant"},
    "fig.participants.other": {"da": "{n} deltagere", "en": "{n} participants"},
    "fig.venue": {"da": "Mødested", "en": "Venue"},
    # Held and planned sessions alike are on the map (the finding counts both).
    "fig.venues": {"da": "Hvor sessionerne holdes, afholdte og planlagte (boblen: antal "
                         "deltagere)",
                   "en": "Where the sessions take place, held and planned (bubble: "
                         "participants)"},
    "fig.attendances.one": {"da": "{n} deltagelse", "en": "{n} attendance"},
    "fig.attendances.other": {"da": "{n} deltagelser", "en": "{n} attendances"},
    "fig.attendances_name": {"da": "Deltagelser", "en": "Attendances"},
    "fig.origins": {"da": "Hvor deltagerne kom fra (fysiske sessioner)",
                    "en": "Where the participants came from (physical sessions)"},
    "fig.travel_hover": {"da": "Gns. %{y:,.0f} km, i alt %{customdata[0]:,.0f} km for "
                               "%{customdata[1]} deltagere",
                         "en": "Avg. %{y:,.0f} km, in all %{customdata[0]:,.0f} km for "
                               "%{customdata[1]} participants"},
    "fig.travel_axis": {"da": "km i lige linje pr. deltager",
                        "en": "km in a straight line per participant"},
    "fig.travel": {"da": "Rejseafstand pr. session (gennemsnit, fugleflugt)",
                   "en": "Travel per session (average, straight line)"},
    "fig.share_of_mayors": {"da": "Andel af borgmestrene", "en": "Share of the mayors"},
    "fig.share_of_attendances": {"da": "Andel af deltagelserne", "en": "Share of attendances"},
    "fig.regions": {"da": "Deltagelse pr. region mod regionens andel af borgmestrene",
                    "en": "Participation per region against its share of the mayors"},
    "fig.selected": {"da": "(valgt)", "en": "(selected)"},
    "fig.today": {"da": "i dag", "en": "today"},
    "fig.days_before": {"da": "Dage før sessionen", "en": "Days before the session"},
    "fig.registrations_cumulative": {"da": "Tilmeldte, ikke afmeldt (akkumuleret)",
                                     "en": "Registered, not cancelled (cumulative)"},
    "fig.curves": {"da": "Tilmeldinger dag for dag mod tidligere sessioner af samme type",
                   "en": "Registrations day by day against earlier sessions of the same type"},
    "fig.participants_town_halls": {"da": "Deltagernes rådhuse",
                                    "en": "Participants' town halls"},
    "fig.candidate": {"da": "Kandidat", "en": "Candidate"},
    "fig.best": {"da": "Bedste (kortest samlet rejse)", "en": "Best (shortest total travel)"},
    "fig.best_short": {"da": "bedste", "en": "best"},
    "fig.placed": {"da": "Fastlagt mødested", "en": "Venue set"},
    "fig.placed_short": {"da": "fastlagt", "en": "set"},
    "fig.placed_venue_map": {"da": "Mødested: det fastlagte, og hvor deltagerne kommer fra",
                             "en": "Venue: the one set, and where participants come from"},
    "fig.km_average": {"da": "{km} km i gns.", "en": "{km} km on average"},
    "fig.venue_map": {"da": "Mødested: kandidater efter samlet rejseafstand",
                      "en": "Venue: candidates by total travel"},

    # --- findings: a chart's heading, one short true sentence (dashboard.charts) ---------------
    "finding.no_data": {"da": "Ingen data for dette udsnit.",
                        "en": "No data for this selection."},
    "finding.no_sessions_held": {"da": "Ingen sessioner er afholdt endnu.",
                                 "en": "No sessions have been held yet."},
    "finding.turnout": {"da": "Flest deltagere: {n} ved {session}.",
                        "en": "Most participants: {n} at {session}."},
    "finding.participation": {"da": "{reached} af {total} kommuner har deltaget i mindst én "
                                    "session; {never} aldrig.",
                              "en": "{reached} of {total} municipalities have attended at least "
                                    "one session; {never} never."},
    "finding.nobody_attended": {"da": "Ingen kommuner har deltaget endnu.",
                                "en": "No municipality has attended yet."},
    "finding.ranking_one": {"da": "{name} har deltaget i flest sessioner ({n}).",
                            "en": "{name} has attended the most sessions ({n})."},
    "finding.ranking_many.one": {"da": "{name} og {n} anden kommune har deltaget i flest "
                                       "sessioner ({most}).",
                                 "en": "{name} and {n} other municipality have attended the "
                                       "most sessions ({most})."},
    "finding.ranking_many.other": {"da": "{name} og {n} andre kommuner har deltaget i flest "
                                         "sessioner ({most}).",
                                   "en": "{name} and {n} other municipalities have attended "
                                         "the most sessions ({most})."},
    "finding.matrix.one": {"da": "{n} gang er en kommune udeblevet fra en session, den var "
                                 "tilmeldt.",
                           "en": "{n} time a municipality stayed away from a session it had "
                                 "registered for."},
    "finding.matrix.other": {"da": "{n} gange er en kommune udeblevet fra en session, den "
                                   "var tilmeldt.",
                             "en": "{n} times a municipality stayed away from a session it "
                                   "had registered for."},
    "finding.no_joint_sessions": {"da": "Ingen fællessessioner er afholdt endnu.",
                                  "en": "No joint sessions have been held yet."},
    "finding.retention": {"da": "Nyvalgte tilmeldt: {first} ved første fællessession, {last} "
                                "ved seneste.",
                          "en": "Newly elected registered: {first} at the first joint session, "
                                "{last} at the latest."},
    "finding.small_groups": {"da": "Under {min} borgmestre, så tallene svinger meget "
                                   "(tegnet svagt): {groups}.",
                             "en": "Fewer than {min} mayors, so the figures swing widely "
                                   "(drawn faded): {groups}."},
    "finding.no_intro": {"da": "Ingen nyvalgte har deltaget i introforløbet.",
                         "en": "No newly elected mayor has attended the intro sessions."},
    "finding.intro": {"da": "Nyvalgte, der deltog i intro, tilmeldte sig i gennemsnit {share} "
                            "af fællessessionerne.",
                      "en": "Newly elected mayors who attended the intro registered for {share} "
                            "of the joint sessions on average."},
    "finding.revenue_format": {"da": "Omsætning i alt {total} {vat}; mest fra {format}: "
                                     "{amount}.",
                               "en": "Revenue in all {total} {vat}; most from {format}: "
                                     "{amount}."},
    "finding.revenue_unknown": {"da": "Omsætning i alt {total} {vat}; {n} tilmeldinger "
                                      "uden kendt pris tæller som 0 kr.",
                                "en": "Revenue in all {total} {vat}; {n} registrations with "
                                      "no known price count as DKK 0."},
    "finding.revenue_session": {"da": "Mest omsætning ved {session}: {amount} {vat} "
                                      "(af {sessions} sessioner).",
                                "en": "Most revenue at {session}: {amount} {vat} "
                                      "(of {sessions} sessions)."},
    "finding.no_revenue": {"da": "Ingen omsætning endnu.", "en": "No revenue yet."},
    "finding.revenue_time": {"da": "Faktureret {invoiced} af {booked} bindende tilmeldt "
                                   "({vat}).",
                             "en": "Invoiced {invoiced} of {booked} booked ({vat})."},
    "finding.venues": {"da": "{n} fysiske sessioner i {cities} byer.",
                       "en": "{n} physical sessions in {cities} towns."},
    "finding.no_attendances": {"da": "Ingen deltagelser endnu.", "en": "No attendances yet."},
    "finding.origins": {"da": "Flest deltagelser fra {name} ({n}).",
                        "en": "Most attendances from {name} ({n})."},
    "finding.origins_many.one": {"da": "Flest deltagelser fra {name} og {n} anden kommune "
                                       "({most} hver).",
                                 "en": "Most attendances from {name} and {n} other "
                                       "municipality ({most} each)."},
    "finding.origins_many.other": {"da": "Flest deltagelser fra {name} og {n} andre kommuner "
                                         "({most} hver).",
                                   "en": "Most attendances from {name} and {n} other "
                                         "municipalities ({most} each)."},
    "finding.no_physical": {"da": "Ingen afholdte fysiske sessioner.",
                            "en": "No physical sessions held."},
    "finding.travel": {"da": "Længst rejse i gennemsnit: {km} km til {city}.",
                       "en": "Longest average travel: {km} km to {city}."},
    "finding.regions": {"da": "{region} har {mayors} af borgmestrene, men {attendances} af "
                              "deltagelserne.",
                        "en": "{region} has {mayors} of the mayors but {attendances} of the "
                              "attendances."},
    "finding.regions_one": {"da": "Kun {region} er valgt: ingen anden region at "
                                  "sammenligne med.",
                            "en": "Only {region} is chosen: no other region to compare "
                                  "with."},
    "finding.curves_none": {"da": "Ingen tilmeldinger til sessionen endnu.",
                            "en": "No registrations for the session yet."},
    "unit.days.one": {"da": "{n} dag", "en": "{n} day"},
    "unit.days.other": {"da": "{n} dage", "en": "{n} days"},
    "finding.curves_alone": {"da": "{n} tilmeldt {days} før sessionen.",
                             "en": "{n} registered {days} before the session."},
    "finding.curves_held_alone": {"da": "{n} tilmeldte sig sessionen i alt.",
                                  "en": "{n} registered for the session in all."},
    "finding.curves_held": {"da": "{n} tilmeldte sig sessionen i alt; tidligere sessioner havde "
                                  "{earlier}.",
                            "en": "{n} registered for the session in all; earlier sessions had "
                                  "{earlier}."},
    "finding.curves": {"da": "{n} tilmeldt {days} før; tidligere sessioner havde {earlier} "
                             "på samme tidspunkt.",
                       "en": "{n} registered {days} before; earlier sessions had {earlier} "
                             "at the same point."},
    "finding.no_venue": {"da": "Ingen fysisk session at planlægge.",
                         "en": "No physical session to plan."},
    "finding.venue": {"da": "{city} giver den korteste rejse: {km} km i gennemsnit.",
                      "en": "{city} means the least travel: {km} km on average."},

    # --- descriptions: the visually hidden summary under each chart ---------------------------
    "describe.table_hint": {"da": "Slå »Vis som tabel« til for at læse alle tallene.",
                            "en": "Turn on “Show as table” to read every number."},
    "describe.overview-turnout": {"da": "Søjlediagram: tilmeldte og deltagere ved hver af {n} "
                                        "sessioner, i tidsorden.",
                                  "en": "Bar chart: registered and attended at each of {n} "
                                        "sessions, in time order."},
    "describe.municipalities-map": {"da": "Kort over Danmark: {n} kommuner, farvet efter antal "
                                          "sessioner deltaget. Vælg en kommune i listen under "
                                          "kortet for at se dens borgmester.",
                                    "en": "Map of Denmark: {n} municipalities, coloured by "
                                          "sessions attended. Pick a municipality in the list "
                                          "below the map to see its mayor."},
    "describe.municipalities-ranking": {"da": "Liggende søjler: {n} kommuner rangeret efter "
                                              "sessioner deltaget, udeblevet og tilmeldt "
                                              "(afventer) lagt oven på hver for sig.",
                                        "en": "Horizontal bars: {n} municipalities ranked by "
                                              "sessions attended, no-shows and pending "
                                              "registrations stacked on apart."},
    "describe.municipalities-matrix": {"da": "Matrix med {n} felter: kommune mod session, "
                                             "status som farve og bogstav.",
                                       "en": "Matrix of {n} cells: municipality against "
                                             "session, status as colour and letter."},
    "describe.retention-cohorts": {"da": "Kurver: andel af nyvalgte og genvalgte borgmestre "
                                         "tilmeldt ved hver afholdt session ({n} punkter).",
                                   "en": "Lines: share of newly elected and re-elected mayors "
                                         "registered at each session held ({n} points)."},
    "describe.retention-path": {"da": "Kurver: andel tilmeldt til fællessessionerne for "
                                      "nyvalgte med og uden intro og for genvalgte "
                                      "({n} punkter).",
                                "en": "Lines: share registered for the joint sessions, for "
                                      "newly elected with and without the intro and for "
                                      "re-elected ({n} points)."},
    "describe.revenue-by-format": {"da": "Stablede søjler: faktureret og ikke faktureret pr. "
                                         "sessionstype ({n} typer).",
                                   "en": "Stacked bars: invoiced and not invoiced per session "
                                         "type ({n} types)."},
    "describe.revenue-by-session": {"da": "Stablede søjler: faktureret og ikke faktureret for "
                                          "hver af {n} sessioner.",
                                    "en": "Stacked bars: invoiced and not invoiced for each of "
                                          "{n} sessions."},
    "describe.revenue-over-time": {"da": "Trappekurver: bindende tilmeldt og faktureret, "
                                         "akkumuleret over {n} dage.",
                                   "en": "Step lines: booked and invoiced, cumulative over "
                                         "{n} days."},
    "describe.geography-venues": {"da": "Kort over Danmark: mødestederne for {n} sessioner, "
                                        "boblen efter antal deltagere.",
                                  "en": "Map of Denmark: the venues of {n} sessions, bubbles "
                                        "by participants."},
    "describe.geography-origins": {"da": "Kort over Danmark: {n} kommuners rådhuse, boblen "
                                         "efter deltagelser i fysiske sessioner.",
                                   "en": "Map of Denmark: the town halls of {n} "
                                         "municipalities, bubbles by attendances at physical "
                                         "sessions."},
    "describe.geography-travel": {"da": "Søjler: gennemsnitlig rejse i fugleflugt pr. "
                                        "deltager ved hver fysisk session ({n} sessioner i "
                                        "data).",
                                  "en": "Bars: average straight-line travel per participant at "
                                        "each physical session ({n} sessions in the data)."},
    "describe.geography-regions": {"da": "Liggende søjler: hver af {n} regioners andel af "
                                         "borgmestrene mod andelen af deltagelserne.",
                                   "en": "Horizontal bars: each of {n} regions' share of the "
                                         "mayors against its share of attendances."},
    "describe.planning-curves": {"da": "Trappekurver: tilmeldinger akkumuleret dag for dag før "
                                       "den valgte session og tidligere sessioner af samme "
                                       "type ({n} punkter).",
                                 "en": "Step lines: registrations day by day before the "
                                       "chosen session and earlier sessions of the same type "
                                       "({n} points)."},
    "describe.planning-venue-map": {"da": "Kort over Danmark: {n} kandidatbyer til mødested, "
                                          "den bedste fremhævet; rangeringen står i tabellen.",
                                    "en": "Map of Denmark: {n} candidate towns for the venue, "
                                          "the best highlighted; the ranking is in the table."},

    # --- Overblik -----------------------------------------------------------------------------
    "overview.report_pdf": {"da": "Rapport som PDF", "en": "Report as PDF"},
    "overview.report_pptx": {"da": "Rapport som PowerPoint", "en": "Report as PowerPoint"},
    # While a download is made (dashboard.downloads: shown by the callbacks' `running`).
    "overview.report_working": {"da": "Rapporten laves … det tager ca. 5 s.",
                                "en": "Making the report … it takes about 5 s."},
    "export.working": {"da": "Filen laves … det tager ca. 2 s.",
                       "en": "Making the file … it takes about 2 s."},
    # --- The report (dashboard.report_content, report_pdf, report_pptx) ----------------------
    "report.name": {"da": "Borgmesterforløbet", "en": "The mayors' programme"},
    "report.period": {"da": "Periode", "en": "Period"},
    "report.data_as_of": {"da": "Data pr.", "en": "Data as of"},
    "report.filters": {"da": "Filtre", "en": "Filters"},
    "report.data": {"da": "Data", "en": "Data"},
    "report.demo": {"da": "Demodata: borgmestre og tilmeldinger er fiktive.",
                    "en": "Demo data: the mayors and registrations are made up."},
    "report.real": {"da": "Rigtige data fra KL's tilmeldinger.",
                    "en": "Real data from KL's registrations."},
    "report.key_figures": {"da": "Nøgletal", "en": "Key figures"},
    "report.key_numbers": {"da": "Tal fra figuren", "en": "Numbers from the chart"},
    "report.figure": {"da": "Nøgletal", "en": "Key figure"},
    "report.value": {"da": "Værdi", "en": "Value"},
    "report.total": {"da": "{series}, i alt", "en": "{series}, total"},
    "report.highest": {"da": "{series}, højest ({where})", "en": "{series}, highest ({where})"},
    "report.highest_many.one": {"da": "{series}, højest ({where} og {n} anden)",
                                "en": "{series}, highest ({where} and {n} other)"},
    "report.highest_many.other": {"da": "{series}, højest ({where} og {n} andre)",
                                  "en": "{series}, highest ({where} and {n} others)"},
    "report.rest": {"da": "Øvrige {n} (nr. {first}–{last})",
                    "en": "The other {n} (nos. {first}–{last})"},
    "report.continued": {"da": "{title} (fortsat, {part} af {parts})",
                         "en": "{title} (continued, {part} of {parts})"},
    "report.page": {"da": "side", "en": "page"},
    "overview.no_programmes": {"da": "Der er ingen forløb i databasen.",
                               "en": "There are no programmes in the database."},
    "overview.price_unknown.one": {"da": "{n} tilmelding uden kendt pris tæller som 0 kr.",
                                   "en": "{n} registration with no known price counts as "
                                         "DKK 0."},
    "overview.price_unknown.other": {"da": "{n} tilmeldinger uden kendt pris tæller som 0 kr.",
                                     "en": "{n} registrations with no known price count as "
                                           "DKK 0."},
    "overview.municipalities": {"da": "Kommuner med deltagelse",
                                "en": "Municipalities that took part"},
    "overview.mayors": {"da": "Borgmestre med deltagelse", "en": "Mayors who took part"},
    "overview.registrations": {"da": "Tilmeldinger", "en": "Registrations"},
    "overview.registrations_note": {"da": "afmeldinger ikke medregnet",
                                    "en": "cancellations not counted"},
    "overview.attendance": {"da": "Fremmøde", "en": "Attendance"},
    "overview.attendance_note": {"da": "af tilmeldte til afholdte sessioner",
                                 "en": "of those registered for sessions held"},
    "overview.revenue": {"da": "Omsætning ekskl. moms", "en": "Revenue ex VAT"},
    "overview.last_session": {"da": "Seneste session", "en": "Latest session"},
    "overview.next_session": {"da": "Næste session", "en": "Next session"},

    # --- Fastholdelse -------------------------------------------------------------------------
    "retention.heading": {"da": "Fastholdelse af nyvalgte borgmestre",
                          "en": "Retention of newly elected mayors"},
    # The last two held sessions for every mayor (audience 'all'; the schema's
    # newly_elected_slipping_for): the intro sessions do not count here.
    "retention.slipping": {"da": "Nyvalgte borgmestre, der ikke deltog i de seneste to "
                                 "fælles sessioner (for alle borgmestre)",
                           "en": "Newly elected mayors who did not attend the last two "
                                 "joint sessions (for every mayor)"},
    "retention.slipping_note": {"da": "Dem, der er værd at ringe til.",
                                "en": "The ones worth a phone call."},
    "retention.none_slipping": {"da": "Alle nyvalgte deltog i mindst én af de seneste to "
                                      "fælles sessioner.",
                                "en": "Every newly elected mayor attended at least one of the "
                                      "last two joint sessions."},

    # --- Økonomi ------------------------------------------------------------------------------
    "revenue.heading": {"da": "Omsætning pr. sessionstype", "en": "Revenue per session type"},
    "revenue.vat": {"da": "Beløb med eller uden moms", "en": "Amounts with or without VAT"},
    "revenue.per_session": {"da": "Pr. session", "en": "Per session"},
    "revenue.booked": {"da": "Bindende tilmeldt ({vat})", "en": "Booked, binding ({vat})"},
    "revenue.booked_note": {"da": "inkl. sene afmeldinger, som faktureres",
                            "en": "incl. late cancellations, which are invoiced"},
    "revenue.cancellations_billed": {"da": "Afmeldinger, der faktureres",
                                     "en": "Cancellations that are invoiced"},
    # KL's staff set prices by importing a price list (issue 18), not by editing the
    # repository's reference files; and a programme after 2022-2025 has no brochure.
    # (Which prices are missing depends on the programme: the 2022–2025 brochure has no
    # online price, a new programme may have none at all; the text names no programme.)
    "revenue.unknown_price.one": {"da": "{n} tilmelding har ingen kendt pris og tæller som "
                                        "0 kr. Angiv prisen ved at importere en prisliste for "
                                        "forløbet på Data-siden (Forløb-ID, Format, Pris).",
                                  "en": "{n} registration has no known price and counts as "
                                        "DKK 0. Set the price by importing a price list for "
                                        "the programme on the Data page (Programme ID, "
                                        "Format, Price)."},
    "revenue.unknown_price.other": {"da": "{n} tilmeldinger har ingen kendt pris og tæller "
                                          "som 0 kr. Angiv prisen ved at importere en "
                                          "prisliste for forløbet på Data-siden (Forløb-ID, "
                                          "Format, Pris).",
                                    "en": "{n} registrations have no known price and count as "
                                          "DKK 0. Set the price by importing a price list for "
                                          "the programme on the Data page (Programme ID, "
                                          "Format, Price)."},
    "revenue.of_which_cancelled": {"da": "Heraf afmeldt", "en": "Of which cancelled"},
    "revenue.revenue": {"da": "Omsætning ({vat})", "en": "Revenue ({vat})"},
    "revenue.not_invoiced": {"da": "Ikke faktureret", "en": "Not invoiced"},

    # --- Geografi -----------------------------------------------------------------------------
    "geography.heading": {"da": "Sessionerne i landet", "en": "The sessions around the country"},
    "geography.table": {"da": "Sessioner og rejseafstand", "en": "Sessions and travel"},

    # --- Kommuner -----------------------------------------------------------------------------
    "municipalities.heading": {"da": "Deltagelse pr. kommune",
                               "en": "Participation per municipality"},
    "municipalities.region": {"da": "Region", "en": "Region"},
    "municipalities.format": {"da": "Sessionstype", "en": "Session type"},
    "municipalities.all_regions": {"da": "Vælg alle", "en": "Select all"},
    "municipalities.reset": {"da": "Nulstil", "en": "Reset"},
    "municipalities.reset_title": {"da": "Sæt alle filtre tilbage: alle regioner, "
                                         "sessionstyper, målgrupper og år",
                                   "en": "Set every filter back: all regions, session "
                                         "types, audiences and years"},
    "municipalities.audience": {"da": "Målgruppe", "en": "Audience"},
    "municipalities.period": {"da": "Periode", "en": "Period"},
    "municipalities.selected": {"da": "Valgt kommune", "en": "Selected municipality"},
    "municipalities.pick": {"da": "Vælg en kommune", "en": "Pick a municipality"},
    "municipalities.pick_placeholder": {"da": "Vælg …", "en": "Choose …"},
    "municipalities.click_hint": {"da": "Vælg en kommune i listen, eller klik på den på "
                                        "kortet, i ranglisten eller i matricen.",
                                  "en": "Pick a municipality in the list, or click it on the "
                                        "map, in the ranking or in the matrix."},
    "municipalities.never": {"da": "Kommuner uden deltagelse",
                             "en": "Municipalities that never attended"},
    "municipalities.choose_something": {"da": "Vælg mindst én region, sessionstype, "
                                              "målgruppe og periode.",
                                        "en": "Choose at least one region, session type, "
                                              "audience and period."},
    "municipalities.no_sessions": {"da": "Ingen sessioner passer til filtrene.",
                                   "en": "No sessions match the filters."},
    "municipalities.summary": {"da": "kommuner ({share}) har deltaget i mindst én af de "
                                     "{sessions} valgte sessioner.",
                               "en": "municipalities ({share}) have attended at least one of "
                                     "the {sessions} sessions chosen."},
    "municipalities.all_attended": {"da": "Alle kommuner har deltaget.",
                                    "en": "Every municipality has attended."},
    "municipalities.no_mayor": {"da": "Ingen borgmester i embede ved forløbets sessioner.",
                                "en": "No mayor in office at the programme's sessions."},
    "municipalities.newly_elected": {"da": "nyvalgt", "en": "newly elected"},

    # --- Planlægning: the forecast's method in one sentence (dashboard.planning) ---------------
    "plan.basis_day": {"da": "tidligere dagsessioner", "en": "earlier day sessions"},
    "plan.basis_overnight": {"da": "tidligere døgnsessioner", "en": "earlier overnight sessions"},
    "plan.basis_online": {"da": "tidligere onlinemøder", "en": "earlier online meetings"},
    "plan.basis_all": {"da": "alle tidligere sessioner", "en": "all earlier sessions"},
    "plan.held": {"da": "Sessionen er afholdt: tallene er de faktiske.",
                  "en": "The session has been held: the numbers are the actual ones."},
    "plan.how_none": {"da": "Der er ingen tilmeldinger endnu, så prognosen er de endelige "
                            "tilmeldinger til {basis}",
                      "en": "There are no registrations yet, so the forecast is the final "
                            "registrations for {basis}"},
    "plan.how_scaled": {"da": "Prognosen skalerer de {n} tilmeldinger indtil nu (afmeldte "
                              "medregnet, som i de tidligere sessioners kurver) med den andel "
                              "af de endelige tilmeldinger, som {basis} havde {days} før",
                        "en": "The forecast scales the {n} registrations so far (cancelled ones "
                              "included, as in the earlier sessions' curves) by the share "
                              "of their final registrations that {basis} had {days} before"},
    "plan.thin_none": {"da": "Usikker prognose: der er ingen {kind} at sammenligne med, så "
                             "den bygger på sessioner af en anden type.",
                       "en": "An uncertain forecast: there are no {kind} to compare with, so "
                             "it rests on sessions of another type."},
    "plan.thin_one": {"da": "Usikker prognose: den bygger på kun én af de {kind} (mindst to "
                            "giver et spænd at stole på).",
                      "en": "An uncertain forecast: it rests on only one of the {kind} (at "
                            "least two give a range to trust)."},
    "plan.one_session": {"da": "{n} session", "en": "{n} session"},
    "plan.sessions": {"da": "{n} sessioner", "en": "{n} sessions"},
    "plan.method": {"da": "{how}; spændet går fra den laveste til den højeste af dem "
                          "({counted}). Deltagere er tilmeldte minus den gennemsnitlige "
                          "afmelding ({cancel}) og udeblivelse ({no_show}) ved de samme "
                          "sessioner.",
                    "en": "{how}; the range runs from the lowest to the highest of them "
                          "({counted}). Participants are those registered less the average "
                          "cancellations ({cancel}) and no-shows ({no_show}) at the same "
                          "sessions."},
    "plan.origins_registered": {"da": "de {n} tilmeldte borgmestres rådhuse",
                                "en": "the town halls of the {n} mayors registered"},
    "plan.origins_recent": {"da": "rådhusene hos deltagerne ved de seneste fysiske sessioner, "
                                  "skaleret til det forventede antal deltagere",
                            "en": "the town halls of the participants at the latest physical "
                                  "sessions, scaled to the expected number of participants"},
    "meal.frokost": {"da": "frokost", "en": "lunch"},
    "meal.middag": {"da": "middag", "en": "dinner"},
    "meal.morgenmad": {"da": "morgenmad", "en": "breakfast"},
    "meal.frokost to go": {"da": "frokost to go", "en": "lunch to go"},

    # --- Planlægning --------------------------------------------------------------------------
    "planning.heading": {"da": "Planlægning af sessioner", "en": "Planning sessions"},
    "planning.held": {"da": "afholdt", "en": "held"},
    "planning.participants": {"da": "Deltagerliste", "en": "Participant list"},
    "planning.download": {"da": "Hent deltagerlisten som Excel",
                          "en": "Download the participant list as Excel"},
    "planning.to_call": {"da": "Endnu ikke tilmeldt – ring til dem",
                         "en": "Not registered yet – give them a call"},
    "planning.hosting": {"da": "Værtsregioner for de seneste sessioner",
                         "en": "Host regions of the latest sessions"},
    "planning.days_to": {"da": "Dage til sessionen", "en": "Days to the session"},
    "planning.held_card": {"da": "Afholdt", "en": "Held"},
    "planning.data_as_of": {"da": "data pr. {date}", "en": "data as of {date}"},
    "planning.registered": {"da": "Tilmeldt indtil nu", "en": "Registered so far"},
    "planning.cancelled": {"da": "{n} afmeldt", "en": "{n} cancelled"},
    "planning.expected_registered": {"da": "Forventet endeligt antal efter afmeldinger",
                                     "en": "Expected final number after cancellations"},
    "planning.expected_participants": {"da": "Forventet deltagere",
                                       "en": "Expected participants"},
    "planning.expected_range": {"da": "forventet (spænd)", "en": "expected (range)"},
    # No range to show: the comparable sessions gave one value (see plan.thin_one).
    "planning.expected_single": {"da": "forventet (intet spænd)", "en": "expected (no range)"},
    "planning.no_meals": {"da": "ingen", "en": "none"},
    "planning.meals": {"da": "Måltider", "en": "Meals"},
    "planning.per_participant": {"da": "pr. deltager: ", "en": "per participant: "},
    "planning.rooms": {"da": "Værelser", "en": "Rooms"},
    "planning.one_each": {"da": "ét pr. deltager", "en": "one per participant"},
    "planning.no_registrations": {"da": "Ingen tilmeldinger endnu.",
                                  "en": "No registrations yet."},
    "planning.waiting": {"da": "Venteliste (kapacitet {capacity})",
                         "en": "Waiting list (capacity {capacity})"},
    "planning.nobody_waiting": {"da": "Ingen på venteliste.", "en": "Nobody on the waiting list."},
    "planning.all_registered": {"da": "Alle borgmestre er tilmeldt.",
                                "en": "Every mayor is registered."},
    "planning.no_venue_title": {"da": "Mødested: ingen kommende fysisk session",
                                "en": "Venue: no physical session coming up"},
    "planning.venue_title": {"da": "Mødested for {session} (afstande fra {basis})",
                             "en": "Venue for {session} (distances from {basis})"},
    "planning.placed_venue_title": {"da": "Mødested for {session}: {venue}, {city} "
                                          "(fastlagt; afstande fra {basis})",
                                    "en": "Venue for {session}: {venue}, {city} "
                                          "(set; distances from {basis})"},
    "finding.placed_venue": {"da": "Mødestedet er fastlagt i {city}: {km} km rejse i "
                                   "gennemsnit.",
                             "en": "The venue is set in {city}: {km} km of travel on average."},
    "describe.planning-venue-placed": {"da": "Kort over Danmark: det fastlagte mødested og "
                                             "deltagernes rådhuse; afstanden står i tabellen.",
                                       "en": "Map of Denmark: the venue set and the "
                                             "participants' town halls; the distance is in "
                                             "the table."},

    # --- Data (admins) ------------------------------------------------------------------------
    "data.admins_only": {"da": "Siden er kun for administratorer.",
                         "en": "This page is for administrators only."},
    "data.heading": {"da": "Data: importér KL's eksport", "en": "Data: import KL's export"},
    "data.intro": {"da": "Upload en tilmeldingseksport, en borgmesterliste, et forløbs "
                         "sessionsplan eller en prisliste (CSV eller XLSX, højst {mb} MB). "
                         "Filen kontrolleres først; intet ændres, før du bekræfter, og én "
                         "afvist række betyder, at intet indlæses.",
                   "en": "Upload a registration export, a list of mayors, a programme's "
                         "schedule or a price list (CSV or XLSX, at most {mb} MB). The file is "
                         "checked first; nothing changes until you confirm, and one rejected "
                         "row means nothing is loaded."},
    "data.drop": {"da": "Træk en fil hertil, eller ", "en": "Drag a file here, or "},
    "data.choose": {"da": "vælg en fil", "en": "choose a file"},
    "data.confirm": {"da": "Importér filen", "en": "Import the file"},
    "data.history": {"da": "Importhistorik", "en": "Import history"},
    "data.command.build": {"da": "opbygning", "en": "build"},
    "data.command.import": {"da": "import", "en": "import"},
    "data.command.boundaries": {"da": "kommunegrænser", "en": "boundaries"},
    "data.outcome.loaded": {"da": "indlæst", "en": "loaded"},
    "data.outcome.partial": {"da": "delvist indlæst", "en": "partly loaded"},
    "data.outcome.rejected": {"da": "afvist", "en": "rejected"},
    "data.outcome.validated": {"da": "kontrolleret", "en": "checked"},
    "data.col.time": {"da": "Tidspunkt", "en": "Time"},
    "data.col.run": {"da": "Kørsel", "en": "Run"},
    "data.col.file": {"da": "Fil", "en": "File"},
    "data.col.read": {"da": "Læst", "en": "Read"},
    "data.col.loaded": {"da": "Indlæst", "en": "Loaded"},
    "data.col.rejected": {"da": "Afvist", "en": "Rejected"},
    "data.col.outcome": {"da": "Udfald", "en": "Outcome"},
    "data.col.user": {"da": "Bruger", "en": "User"},
    "data.col.line": {"da": "Linje", "en": "Line"},
    "data.col.column": {"da": "Kolonne", "en": "Column"},
    "data.col.value": {"da": "Værdi", "en": "Value"},
    "data.col.reason": {"da": "Årsag", "en": "Reason"},
    "data.cannot_import": {"da": "{file} kan ikke importeres.",
                           "en": "{file} cannot be imported."},
    "data.rejected": {"da": "{file}: {n} af {rows} rækker afvises; ret filen og upload den "
                            "igen. Intet er ændret.",
                      "en": "{file}: {n} of {rows} rows are rejected; correct the file and "
                            "upload it again. Nothing has changed."},
    "data.problems_cut": {"da": "Listen viser de første {shown} af {total} fejl. Ret dem, og "
                                "upload filen igen. Hele listen: `python -m etl import FIL` "
                                "på serveren gemmer hver afvist række i tabellen rejected_rows "
                                "og indlæser intet.",
                          "en": "The list shows the first {shown} of {total} problems. Correct "
                                "them and upload the file again. The whole list: `python -m etl "
                                "import FILE` on the server stores every rejected row in the "
                                "table rejected_rows and loads nothing."},
    "data.valid": {"da": "{file}: {rows} rækker ({kind}) er gyldige. Tryk Importér for at "
                         "indlæse dem.",
                   "en": "{file}: {rows} rows ({kind}) are valid. Press Import to load them."},
    "data.kind.registrations": {"da": "tilmeldinger", "en": "registrations"},
    "data.kind.mayors": {"da": "borgmestre", "en": "mayors"},
    "data.bad_type": {"da": "filtypen {suffix} kan ikke importeres; brug CSV eller XLSX",
                      "en": "files of type {suffix} cannot be imported; use CSV or XLSX"},
    "data.no_suffix": {"da": "(ingen)", "en": "(none)"},
    "data.incomplete": {"da": "filen kom ikke helt igennem; prøv igen",
                        "en": "the file did not arrive whole; try again"},
    "data.too_large": {"da": "filen er for stor; grænsen er {mb} MB",
                       "en": "the file is too large; the limit is {mb} MB"},
    "data.upload_again": {"da": "Den uploadede fil findes ikke her: en upload gælder kun i "
                                "den session, der uploadede den, i {minutes} minutter, og "
                                "importeres kun én gang. Upload filen igen.",
                          "en": "The uploaded file is not here: an upload holds only in the "
                                "session that uploaded it, for {minutes} minutes, and is "
                                "imported only once. Upload the file again."},
    "data.file_too_large": {"da": "{file} er for stor; grænsen er {mb} MB. Intet er sendt.",
                            "en": "{file} is too large; the limit is {mb} MB. Nothing was "
                                  "sent."},
    "data.writer_busy": {"da": "Databasen er optaget: en anden import kører. Prøv igen, når "
                               "den er færdig; intet er ændret.",
                         "en": "The database is busy: another import is running. Try again "
                               "when it has finished; nothing has changed."},
    "data.job.check": {"da": "Kontrollerer filen", "en": "Checking the file"},
    "data.job.import": {"da": "Importerer filen", "en": "Importing the file"},
    "data.phase.starting": {"da": "starter", "en": "starting"},
    "data.phase.reading": {"da": "læser filen", "en": "reading the file"},
    "data.phase.checking": {"da": "kontrollerer rækkerne", "en": "checking the rows"},
    "data.phase.loading": {"da": "indlæser rækkerne", "en": "loading the rows"},
    "data.stopped.check": {"da": "Kontrollen stoppede uventet (serveren blev genstartet). "
                                 "Intet er ændret; upload filen igen.",
                           "en": "The check stopped unexpectedly (the server was restarted). "
                                 "Nothing has changed; upload the file again."},
    "data.stopped.import": {"da": "Importen stoppede uventet (serveren blev genstartet). Se i "
                                  "importhistorikken nedenfor, om filen kom med; ellers er "
                                  "intet ændret, og du kan uploade den igen.",
                            "en": "The import stopped unexpectedly (the server was restarted). "
                                  "See in the import history below whether the file went in; "
                                  "if not, nothing has changed and you can upload it again."},
    "data.failed.check": {"da": "Kontrollen mislykkedes; intet er ændret. Upload filen igen, "
                                "eller kontakt en administrator.",
                          "en": "The check failed; nothing has changed. Upload the file again, "
                                "or contact an administrator."},
    "data.failed.import": {"da": "Importen mislykkedes; intet er ændret. Upload filen igen, "
                                 "eller kontakt en administrator.",
                           "en": "The import failed; nothing has changed. Upload the file "
                                 "again, or contact an administrator."},
    "data.loaded": {"da": "Indlæst: {new} nye, {updated} ændrede, {unchanged} uændrede",
                    "en": "Loaded: {new} new, {updated} changed, {unchanged} unchanged"},
    "data.people_added": {"da": "; {n} personer tilføjet", "en": "; {n} people added"},
    "data.repeats": {"da": "; {n} linjer gentog en tidligere linje og er talt med én gang",
                     "en": "; {n} lines repeated an earlier line and were counted once"},
    "data.demo_removed": {"da": ". Demodata er fjernet.", "en": ". Demo data removed."},

    # --- column headers of the "Vis som tabel" tables (dashboard.chart_tables) ------------
    "col.session": {"da": "Session", "en": "Session"},
    "col.format": {"da": "Type", "en": "Type"},
    "col.audience": {"da": "Målgruppe", "en": "Audience"},
    "col.registered": {"da": "Tilmeldt", "en": "Registered"},
    "col.attended": {"da": "Deltaget", "en": "Attended"},
    "col.no_show": {"da": "Udeblevet", "en": "No-show"},
    "col.cancelled": {"da": "Afmeldt", "en": "Cancelled"},
    "col.municipalities": {"da": "Kommuner", "en": "Municipalities"},
    "col.municipality": {"da": "Kommune", "en": "Municipality"},
    "col.region": {"da": "Region", "en": "Region"},
    "col.population": {"da": "Indbyggere", "en": "Population"},
    "col.sessions_offered": {"da": "Sessioner i alt", "en": "Sessions offered"},
    "col.sessions_registered": {"da": "Sessioner tilmeldt", "en": "Sessions registered"},
    "col.sessions_attended": {"da": "Sessioner deltaget", "en": "Sessions attended"},
    "col.share_attended": {"da": "Andel deltaget", "en": "Share attended"},
    "col.cohort": {"da": "Gruppe", "en": "Group"},
    "col.mayors_in_office": {"da": "Borgmestre i embede", "en": "Mayors in office"},
    "col.share_registered": {"da": "Andel tilmeldt", "en": "Share registered"},
    "col.path": {"da": "Forløb", "en": "Path"},
    "col.sessions": {"da": "Sessioner", "en": "Sessions"},
    "col.registrations": {"da": "Tilmeldinger inkl. afmeldte",
                          "en": "Registrations incl. cancelled"},
    "col.cancellations_billed": {"da": "Afmeldt, faktureres", "en": "Cancelled, billed"},
    "col.registrations_price_unknown": {"da": "Uden kendt pris", "en": "No known price"},
    "col.list_price_ex_vat": {"da": "Listepris ekskl. moms", "en": "List price ex VAT"},
    "col.revenue_ex_vat": {"da": "Omsætning ekskl. moms", "en": "Revenue ex VAT"},
    "col.vat": {"da": "Moms", "en": "VAT"},
    "col.revenue_incl_vat": {"da": "Omsætning inkl. moms", "en": "Revenue incl. VAT"},
    "col.invoiced_ex_vat": {"da": "Faktureret ekskl. moms", "en": "Invoiced ex VAT"},
    "col.outstanding_ex_vat": {"da": "Ikke faktureret ekskl. moms", "en": "Not invoiced ex VAT"},
    "col.invoiced_incl_vat": {"da": "Faktureret inkl. moms", "en": "Invoiced incl. VAT"},
    "col.outstanding_incl_vat": {"da": "Ikke faktureret inkl. moms",
                                 "en": "Not invoiced incl. VAT"},
    "col.day": {"da": "Dato", "en": "Date"},
    "col.booked_ex_vat": {"da": "Bindende tilmeldt ekskl. moms", "en": "Booked ex VAT"},
    "col.booked_incl_vat": {"da": "Bindende tilmeldt inkl. moms", "en": "Booked incl. VAT"},
    "col.venue": {"da": "Sted", "en": "Venue"},
    "col.city": {"da": "By", "en": "Town"},
    "col.venue_is_demo": {"da": "Demo-sted", "en": "Demo venue"},
    "col.avg_travel_km": {"da": "Gns. km", "en": "Avg. km"},
    "col.total_travel_km": {"da": "Km i alt", "en": "Km in all"},
    "col.attendances": {"da": "Deltagelser", "en": "Attendances"},
    "col.share_of_mayors": {"da": "Andel af borgmestrene", "en": "Share of the mayors"},
    "col.share_of_attendances": {"da": "Andel af deltagelserne", "en": "Share of attendances"},
    "col.days_before": {"da": "Dage før", "en": "Days before"},
    "col.cumulative": {"da": "Tilmeldinger (akkumuleret)", "en": "Registrations (cumulative)"},
    "col.rank": {"da": "#", "en": "#"},
    "col.avg_km": {"da": "Gns. km", "en": "Avg. km"},
    "col.total_km": {"da": "Km i alt", "en": "Km in all"},
    "col.best": {"da": "Bedste", "en": "Best"},
    "col.mayor": {"da": "Borgmester", "en": "Mayor"},
    "col.party": {"da": "Parti", "en": "Party"},
    "col.last_attended_at": {"da": "Senest deltaget", "en": "Last attended"},
    "col.date": {"da": "Dato", "en": "Date"},
    "col.starts_at": {"da": "Dato", "en": "Date"},
    "col.newly_elected": {"da": "Nyvalgt", "en": "Newly elected"},
    "col.registered_at": {"da": "Tilmeldt den", "en": "Registered on"},
    "col.status": {"da": "Status", "en": "Status"},
    "col.registered_only": {"da": "Tilmeldt uden at deltage",
                            "en": "Registered without attending"},
    "col.demo_venue": {"da": "Demo-sted", "en": "Demo venue"},

    # --- time helper (issue 18): pages that know what day it is -----------------------------
    "shell.stale": {"da": "Data er fra {date} — {days} dage gamle. Importér en ny udtræksfil "
                          "på Data-siden.",
                    "en": "The data is from {date} — {days} days old. Import a new extract on "
                          "the Data page."},
    "overview.next_today": {"da": "i dag", "en": "today"},
    "overview.next_tomorrow": {"da": "i morgen", "en": "tomorrow"},
    "overview.next_in": {"da": "om {n} dage", "en": "in {n} days"},
    "overview.finished": {"da": "Forløbet er afsluttet", "en": "The programme has ended"},
    "overview.finished_value": {"da": "{sessions} sessioner, {attended} deltagelser",
                                "en": "{sessions} sessions, {attended} attendances"},
    "overview.finished_note": {"da": "{part} af {whole} kommuner deltog; fremmøde {rate}",
                               "en": "{part} of {whole} municipalities took part; "
                                     "attendance {rate}"},
    "planning.outcome_registered": {"da": "Tilmeldt", "en": "Registered"},
    "planning.outcome_attended": {"da": "Deltaget", "en": "Attended"},
    "planning.outcome_cancelled": {"da": "Afmeldt", "en": "Cancelled"},
    "planning.outcome_no_shows": {"da": "Udeblevet", "en": "No-shows"},
    "planning.outcome_revenue": {"da": "Omsætning ekskl. moms", "en": "Revenue ex VAT"},
    "planning.outcome_note": {"da": "endeligt udfald", "en": "final outcome"},
    "planning.outcome_unrecorded": {"da": "heraf {n} uden registreret fremmøde",
                                    "en": "of whom {n} with no attendance recorded"},
    "planning.outcome_method": {"da": "Sessionen er afholdt: tallene er dens udfald, ikke en "
                                      "prognose.",
                                "en": "The session has been held: these are its outcome, not "
                                      "a forecast."},
    "planning.outcome_pending_note": {"da": "data fra før sessionen", "en": "data from before "
                                                                            "the session"},
    "planning.outcome_pending": {"da": "Sessionen er afholdt, men data er fra {date}, før "
                                       "sessionen: tallene er tilmeldingerne, ikke udfaldet. "
                                       "Importér en nyere udtræksfil på Data-siden.",
                                 "en": "The session has been held, but the data is from {date}, "
                                       "before the session: these are the bookings, not the "
                                       "outcome. Import a newer extract on the Data page."},
    "planning.held_no_call": {"da": "Sessionen er afholdt – der er ingen at ringe til.",
                              "en": "The session has been held – there is nobody to call."},
    "planning.held_no_venue_title": {"da": "Mødested: sessionen er afholdt",
                                     "en": "Venue: the session has been held"},
    "finding.held_no_venue": {"da": "Sessionen er afholdt, så der foreslås intet mødested.",
                              "en": "The session has been held, so no venue is suggested."},

    # --- schedule helper (issue 18): the kinds of file a schedule import gives ---
    "data.kind.schedule": {"da": "sessionsplan", "en": "programme schedule"},
    "data.kind.price_list": {"da": "prisliste", "en": "price list"},
    # --- versions (issue 18): kept versions and undo on the Data page -----------------------
    "data.versions": {"da": "Versioner", "en": "Versions"},
    "data.versions_intro": {
        "da": "Hver ændring af databasen (import, opbygning, opgradering, fortryd) gemmer den "
              "fil, den erstatter. Fortryd henter versionen før den seneste ændring tilbage; "
              "det er selv en ændring og kan fortrydes igen. Samme liste på "
              "kommandolinjen: python -m etl history.",
        "en": "Every change to the database (import, build, upgrade, undo) keeps the file it "
              "replaces. Undo brings back the version before the last change; that is a "
              "change too and can be undone again. The same list on the command line: "
              "python -m etl history."},
    "data.undo": {"da": "Fortryd seneste ændring", "en": "Undo the last change"},
    "data.undo_ask": {"da": "Hent version {id} fra {when} ({command}) tilbage? Den nuværende "
                            "fil gemmes som en version, så du kan fortryde igen.",
                      "en": "Bring back version {id} of {when} ({command})? The file in use "
                            "is kept as a version, so you can undo again."},
    "data.undone": {"da": "Version {id} er hentet tilbage.",
                    "en": "Version {id} has been brought back."},
    "data.no_versions": {"da": "Der er ingen gemt version at gå tilbage til.",
                         "en": "There is no kept version to go back to."},
    "data.nothing_to_undo": {"da": "Intet at fortryde: den eneste version er den, der er i brug.",
                             "en": "Nothing to undo: the only version is the one in use."},
    "data.current": {"da": "i brug", "en": "in use"},
    "data.col.version": {"da": "Version", "en": "Version"},
    "data.count.mayors": {"da": "Borgmestre", "en": "Mayors"},
    "data.count.registrations": {"da": "Tilmeldinger", "en": "Registrations"},
    "data.count.sessions": {"da": "Sessioner", "en": "Sessions"},
    "data.count.programmes": {"da": "Forløb", "en": "Programmes"},
    "data.command.upgrade": {"da": "opgradering", "en": "upgrade"},
    "data.command.undo": {"da": "fortryd", "en": "undo"},
    "data.command.restore": {"da": "genskabt", "en": "restore"},
    # terms (issue 18): retention per programme, two programmes side by side
    "retention.compare": {"da": "Sammenlign med", "en": "Compare with"},
    "retention.compare_none": {"da": "Intet andet forløb", "en": "No other programme"},
    "retention.compare_note": {"da": "Hvert forløbs egne nyvalgte (valgt ved valget før "
                                     "forløbet) mod dets genvalgte, på samme tidspunkt i "
                                     "valgperioden.",
                               "en": "Each programme's own newly elected mayors (elected at "
                                     "the election before it) against its re-elected ones, at "
                                     "the same point of the election period."},
    "retention.compare_unfiltered": {"da": "Sammenligningen viser hele forløbene: filtrene "
                                           "gælder ikke den.",
                                     "en": "The comparison shows the whole programmes: the "
                                           "filters do not apply to it."},
    "fig.retention_side_by_side": {"da": "Forløbene side om side: andel tilmeldt, måneder "
                                         "inde i valgperioden",
                                   "en": "Programmes side by side: share registered, months "
                                         "into the election period"},
    "fig.months_in": {"da": "Måneder efter valgperiodens start",
                      "en": "Months after the start of the election period"},
    "fig.months_in_hover": {"da": "måned {n}", "en": "month {n}"},
    "finding.side_by_side": {"da": "Nyvalgte i {first}: {first_share} tilmeldt efter {months} "
                                   "måneder; i {second}: {second_share}.",
                             "en": "Newly elected in {first}: {first_share} registered after "
                                   "{months} months; in {second}: {second_share}."},
    "finding.side_by_side_none": {"da": "Intet afholdt på samme tidspunkt i begge forløb.",
                                  "en": "Nothing held at the same point of both programmes."},
    "describe.retention-compare-chart": {
        "da": "Linjediagram over to forløbs kohorter, {n} punkter.",
        "en": "Line chart of two programmes' cohorts, {n} points."},
    # --- rules (issue 19): the glossary's words (etl/schema.sql), one per thing ---
    "col.sessions_no_show": {"da": "Sessioner udeblevet", "en": "Sessions no-show"},
    "col.sessions_pending": {"da": "Sessioner tilmeldt, afventer",
                             "en": "Sessions registered, pending"},
    "col.pending": {"da": "Tilmeldt, afventer", "en": "Registered, pending"},
    # --- the side-by-side chart's table (issue 19: it joined the chart registry) ---
    "col.programme_id": {"da": "Forløb", "en": "Programme"},
    "col.programme_title": {"da": "Forløbets navn", "en": "Programme name"},
    "col.months_in": {"da": "Måneder inde i valgperioden",
                      "en": "Months into the election period"},
    "col.session_number": {"da": "Session nr.", "en": "Session no."},
    # --- Om data (issue 21): the glossary (dashboard/glossary.py), sources, imports ---
    "page.about": {"da": "Om data", "en": "About the data"},
    "about.intro": {"da": "Hvad ordene på siderne tæller, hvor data kommer fra, og hvornår de "
                          "sidst blev indlæst.",
                    "en": "What the pages' words count, where the data comes from, and when "
                          "it was last loaded."},
    "about.status": {"da": "Data i brug", "en": "Data in use"},
    "about.demo": {"da": "Demodata: borgmestre og tilmeldinger er fiktive, lavet af "
                         "programmet selv. Sessioner, datoer og priser er KL's egne.",
                   "en": "Demo data: mayors and registrations are fictional, made by the "
                         "program itself. Sessions, dates and prices are KL's own."},
    "about.real": {"da": "KL's egne data: sessioner, borgmestre og tilmeldinger indlæst af "
                         "KL's medarbejdere.",
                   "en": "KL's own data: sessions, mayors and registrations loaded by KL "
                         "staff."},
    "about.data_as_of": {"da": "Data pr. {date} (dagen, data blev trukket eller lavet).",
                         "en": "Data as of {date} (the day the data was exported or made)."},
    "about.programmes": {"da": "Forløb: {programmes}.", "en": "Programmes: {programmes}."},
    "about.glossary": {"da": "Begreber", "en": "Definitions"},
    "about.glossary_note": {"da": "Sådan tælles ordene på alle sider, i tabeller, eksporter og "
                                  "rapporter.",
                            "en": "How the words are counted on every page, in tables, exports "
                                  "and reports."},
    "about.col.word": {"da": "Ord", "en": "Word"},
    "about.col.counts": {"da": "Hvad det tæller", "en": "What it counts"},
    "about.col.rule": {"da": "Regel (etl/schema.sql)", "en": "Rule (etl/schema.sql)"},
    "about.sources": {"da": "Kilder", "en": "Sources"},
    "about.source.programme": {
        "da": "Sessioner, datoer, målgrupper og priser 2022–2025: KL's programbeskrivelse af "
              "»Lederskab i en kompleks samtid«. Senere forløb: de programmer og prislister, "
              "KL's medarbejdere har indlæst.",
        "en": "Sessions, dates, audiences and prices 2022–2025: KL's description of the "
              "programme \"Lederskab i en kompleks samtid\". Later programmes: the schedules "
              "and price lists KL staff have loaded."},
    "about.source.municipalities": {
        "da": "Kommuner, kommunekoder og regioner: Danmarks Statistik (DST's kommunekoder); "
              "indbyggertal pr. 1. januar 2023 (FOLK1A).",
        "en": "Municipalities, municipality codes and regions: Statistics Denmark (DST "
              "codes); population on 1 January 2023 (FOLK1A)."},
    "about.source.boundaries": {
        "da": "Kommunegrænser for {n} kommuner: DAGI's kommuneinddeling (Klimadatastyrelsen), "
              "forenklet til kortene. Indeholder data fra Klimadatastyrelsen (tidl. "
              "Geodatastyrelsen), DAGI 1:500.000, FOT-datasæt 2014-02-13.",
        "en": "Municipality boundaries for {n} municipalities: DAGI's municipal division "
              "(Danish Agency for Climate Data), simplified for the maps. Contains data from "
              "Klimadatastyrelsen (formerly Geodatastyrelsen), DAGI 1:500,000, FOT data set "
              "2014-02-13."},
    "about.source.no_boundaries": {
        "da": "Ingen kommunegrænser indlæst: kortene viser kommunerne som punkter ved "
              "rådhusene.",
        "en": "No municipality boundaries loaded: the maps show municipalities as dots at "
              "their town halls."},
    "about.source.venues": {
        "da": "Mulige mødesteder til Planlægning: KL's liste over byer (kan redigeres).",
        "en": "Possible venues for Planning: KL's list of cities (editable)."},
    "about.source.registrations_demo": {
        "da": "Borgmestre og tilmeldinger: fiktive demodata, lavet med fast frø, så tallene "
              "er de samme hver gang.",
        "en": "Mayors and registrations: fictional demo data, made with a fixed seed so the "
              "numbers are the same every time."},
    "about.source.registrations_real": {
        "da": "Borgmestre og tilmeldinger: KL's egne udtræk, indlæst på siden Data eller med "
              "python -m etl import.",
        "en": "Mayors and registrations: KL's own exports, loaded on the Data page or with "
              "python -m etl import."},
    "about.imports": {"da": "Seneste indlæsninger", "en": "Latest imports"},
    "about.imports_note": {"da": "De seneste {n} kørsler. Hele historikken, versioner og "
                                 "fortryd: siden Data (administratorer).",
                           "en": "The latest {n} runs. The whole history, versions and undo: "
                                 "the Data page (administrators)."},
    "glossary.registration.word": {"da": "tilmelding, tilmeldt",
                                   "en": "registration, registered"},
    "glossary.registration.counts": {
        "da": "en tilmelding med enhver status undtagen afmeldt: booket, deltaget eller "
              "udeblevet",
        "en": "a registration of any status but cancelled: booked, attended or no-show"},
    "glossary.cancellation.word": {"da": "afmelding, afmeldt",
                                   "en": "cancellation, cancelled"},
    "glossary.cancellation.counts": {"da": "en afmeldt tilmelding; den faktureres stadig",
                                     "en": "a cancelled registration; it is still billed"},
    "glossary.attended.word": {"da": "deltaget, deltagelse (deltager)",
                               "en": "attended, attendance (participant)"},
    "glossary.attended.counts": {"da": "en tilmelding, hvor borgmesteren kom",
                                 "en": "a registration whose mayor came"},
    "glossary.no_show.word": {"da": "udeblevet", "en": "no-show"},
    "glossary.no_show.counts": {"da": "tilmeldt en afholdt session, men kom ikke",
                                "en": "registered for a held session, did not come"},
    "glossary.pending.word": {"da": "tilmeldt, afventer", "en": "registered, pending"},
    "glossary.pending.counts": {
        "da": "tilmeldt, intet udfald registreret endnu: sessionen er ikke afholdt, eller data "
              "blev trukket før den blev. Tælles aldrig med de udeblevne",
        "en": "registered, no outcome recorded yet: the session is not held, or the data was "
              "exported before it was. Never counted with the no-shows"},
    "glossary.held.word": {"da": "afholdt", "en": "held"},
    "glossary.held.counts": {
        "da": "en session, hvis dag er forbi (en session, der starter i dag, er stadig "
              "kommende)",
        "en": "a session whose day is over (one starting today is still upcoming)"},
    "glossary.upcoming.word": {"da": "kommende", "en": "upcoming"},
    "glossary.upcoming.counts": {"da": "en session, der ikke er afholdt endnu",
                                 "en": "a session not held yet"},
    "glossary.invited.word": {"da": "inviteret", "en": "invited"},
    "glossary.invited.counts": {
        "da": "de borgmestre, en session er for: introsessionerne kun de nyvalgte, de andre "
              "sessioner alle. Fastholdelse tæller og tegner en gruppe kun ved de sessioner, "
              "den er inviteret til",
        "en": "the mayors a session is for: the intro sessions only the newly elected, the "
              "other sessions all. Retention counts and draws a group only at the sessions "
              "it is invited to"},
    "glossary.billed.word": {"da": "tilmeldinger inkl. afmeldte (faktureres)",
                             "en": "registrations incl. cancelled (billed)"},
    "glossary.billed.counts": {
        "da": "alle tilmeldinger, også de afmeldte: tilmelding er bindende og faktureres "
              "løbende (programbeskrivelsen)",
        "en": "every registration, cancelled ones included: registration is binding and "
              "invoiced continuously (the brochure)"},
    "glossary.revenue.word": {"da": "omsætning, bindende tilmeldt",
                              "en": "revenue, booked (binding)"},
    "glossary.revenue.counts": {
        "da": "prisen lagt sammen over de fakturerede tilmeldinger; en pris på 0 er en bevidst "
              "kreditering; en ukendt pris tæller som 0 kr. og tælles for sig",
        "en": "the price summed over the billed registrations; a price of 0 is an explicit "
              "credit; an unknown price counts as 0 kr. and is counted apart"},
    "glossary.invoiced.word": {"da": "faktureret / ikke faktureret",
                               "en": "invoiced / not invoiced"},
    "glossary.invoiced.counts": {
        "da": "omsætningen af fakturerede tilmeldinger med / uden fakturadato",
        "en": "the revenue of billed registrations with / without an invoice date"},
}


def page_title(name_key: str):
    """A Dash page's `title`: called per request, so the tab reads in the reader's language."""
    return lambda **_path: t("app.page_title", page=t(name_key))
