"""Match a free-text question to FAQ snippets.

How a question is scored:

1. **Normalise.** Unicode is folded (NFKC, lower case, apostrophes dropped), the text is cut to
   ``MAX_CHARS`` and multi-word terms applicants use are rewritten to one token
   (``step 2 ck`` -> ``ck``, ``letter of rec`` -> ``lor``, ``med-psych`` -> ``medpsych``, ...).
2. **Tokenise.** Words are folded through an abbreviation/synonym map (``s2ck``, ``LoR``, ``obs``,
   ``J1``, ``PD``, ``IM``, ...), stop words are dropped and a light suffix stemmer is applied.
   A word the index does not know is corrected when it is one edit (insert, delete, substitute,
   swap) away from a word of the FAQ titles, questions or keywords; a map from one-letter
   deletions to words, built at start-up, keeps that to a few dictionary look-ups.
3. **Score.** BM25F over the fields of each snippet (title weighs most, then alternative questions
   and keywords, the body least), with document frequencies taken from the topic fields so that
   the words naming a topic count; plus the best idf-weighted cosine with any single title or
   alternative question, so a short question close to one phrasing wins. A snippet whose title
   names another exam (CK / Step 1 / Step 3) or another channel (statement / interview / letters)
   than the question does is scaled down.
4. **Decide.** A question with no in-domain word gets "none", and so does one whose best score stays
   under a floor (a higher one when only broad words like "psych" or "program" are in-domain).
   Words that mark a topic we do not cover (other specialties, drug doses, exam prep, fees,
   dates, residency logistics, ECFMG paperwork, small talk, US graduates, other countries...)
   scale scores down first. A clear lead over the runner-up gives "answer"; otherwise the two or
   three close candidates are offered as "choose", but only if the best score reaches
   ``choose_score``: weak evidence spread over several snippets is usually a near-miss question
   we do not cover, so it gets "none".
5. **Check.** An "answer" must also be among the ``check_depth`` FAQs whose phrasings are nearest to
   the question by TF-IDF over character 2-5-grams and word 1-2-grams (the shape of Rasa's default
   pipeline, as nearest neighbours); otherwise the user gets it as a choice beside the n-gram pick.
   The test-split table in ``eval/RESULTS.md`` chose this over BM25F alone, the n-gram classifier
   alone, WordLlama embeddings and their weighted sum; five-fold cross-validation on the dev split
   of ``eval/blind`` set the depth.

Python plus numpy (the n-gram postings). Building both indexes takes under 0.2 s; a query well
under a millisecond. Any text returns a Match; long input is cut to ``MAX_CHARS`` and
``MAX_TOKENS``.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from content.model import Snippet

MAX_CHARS = 2000  # longer input is cut before any work
MAX_TOKENS = 120  # and at most this many terms are scored
MAX_WORD = 24  # longer "words" are never typo-corrected

_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> frozenset[str]:
    """Return the white-space separated words of *text* as a set."""
    return frozenset(text.split())


_APOSTROPHE = re.compile(r"(?<=[a-z])['’`´](?=[a-z])")
_I_AM = re.compile(r"\bi\s*['’`´]\s*m\b")
_IM = re.compile(r"\b(im)\b\s*([a-z0-9]*)")
# Words after "im" that show it means "I'm", not internal medicine.
_AFTER_I_AM = _words(
    """
    a an the not so from currently still also really very just in at on new non img us sure afraid scared
    interested gonna about done international foreign nonus fresh 2nd 3rd final
    confused worried tired lost stuck unsure hoping planning trying looking thinking applying working
    """
)
# Upper-case abbreviations whose lower-case spelling is an everyday word ("ty" = thanks, "em" = them).
_CASED = ((re.compile(r"\bTY\b"), " transitionalyear "), (re.compile(r"\bEM\b"), " emergencymedicine "))

STOPWORDS = _words(
    """
    a an the and or but if of to in on at for with from by as is are was were be been being am do does did
    doing done i im ive id me my mine myself we our us you your yours u ur it its this that these those there
    here so than then too very can could should would will shall may might must have has had having not no
    yes just about into over also any some what which whose how where pls please plz hi hey
    hello thanks thank ok okay lol like really actually honestly basically kinda sorta get got getting gets
    one thing things someone anyone somebody anybody everyone everybody tell know want wanted need needs
    needed mandatory required require requires necessary compulsory obligatory essential
    doesnt dont didnt isnt arent wasnt cant wont shouldnt wouldnt couldnt thats whats hows
    all more most lot lots still even only again ever now yet already bit way ways well make makes
    made let lets go going went come came take took see seen look looking think thought
    during while since because though although per via maybe vs versus
    guys bro sir madam doc doctor dr wat wht r ya yeah nah yo n w abt bc cuz coz thx ty em
    """
)

# Multi-word terms, rewritten to one token before tokenising, in this order. Each entry:
# (substrings one of which every match contains -- a cheap pre-check, pattern, replacement).
# fmt: off
_PHRASES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("citizen", "national"), r"\b(non|not an?)[\s-]*(us|u\.s\.?|american)[\s-]*(citizen|national)s?\b",
     " foreignnational "),
    (("citizen",), r"\b(us|u\.s\.?|american)[\s-]*(citizen|citizenship)s?\b", " uscitizen "),
    (("green",), r"\bgreen[\s-]*card\b", " uscitizen "),
    (("us",), r"\b(us|u\.s\.?)[\s-]*(md|grad|graduate|senior|student|amg)s?\b", " usgrad "),
    (("clinical", "experience"),
     r"\b(non|not|outside)[\s-]*(the[\s-]*)?(us|u\.s\.?|american)[\s-]*(clinical[\s-]*)?(experience|work)\b"
     r"|\bforeign[\s-]*clinical[\s-]*(experience|work)\b", " homecountry "),
    (("clinical",), r"\bus[\s-]*clinical[\s-]*experience\b|\bclinical[\s-]*experience[\s-]*in[\s-]*the[\s-]*us\b",
     " usce "),
    (("us", "u.s"), r"\b(us|u\.s\.?)[\s-]*(experience|rotations?|electives?)\b", " usce "),
    (("letter",), r"\bletters?[\s-]*of[\s-]*(rec|recs|recommendations?|reference|support)\b", " lor "),
    (("letter",), r"\b(rec|recommendation|reference)[\s-]*letters?\b", " lor "),
    (("letter",), r"\bletters?[\s-]*of[\s-]*(interest|intent)\b", " loi "),
    (("statement",), r"\bpersonal[\s-]*statements?\b", " ps "),
    (("director",), r"\bprogram[\s-]*directors?\b", " pd "),
    (("coordinator",), r"\bprogram[\s-]*coordinators?\b", " coordinator "),
    (("psych",), r"\binternal[\s-]*medicine[\s-]*(/[\s-]*)?psychiatry\b", " medpsych "),
    (("psych",), r"\bmed(icine)?[\s-]*(/[\s-]*)?psych(iatry)?\b", " medpsych "),
    (("psych",), r"\bim[\s-]*(/[\s-]*)?psych(iatry)?\b", " medpsych "),
    (("internal",), r"\binternal[\s-]*medicine\b", " im "),
    (("liaison", "psych"), r"\bconsult(ation)?[\s-]*(and[\s-]*)?liaison\b|\bc[\s-]*/?[\s-]*l[\s-]*psych(iatry)?\b",
     " cl "),
    (("quality",), r"\bquality[\s-]*improvement\b", " qi "),
    (("step", "s2"), r"\bstep[\s-]*(2|two|ii)[\s-]*(ck|cs)?\b|\bs2[\s-]*ck\b|\bs2\b|\bstep[\s-]*2ck\b", " ck "),
    (("step", "s1"), r"\bstep[\s-]*(1|one)\b|\bs1\b", " step1 "),
    (("step", "s3"), r"\bstep[\s-]*(3|three|iii)\b|\bs3\b", " step3 "),
    (("/", "pass"), r"\bp\s*/\s*f\b|\bpass\s*/\s*fail\b|\bpass[\s-]*(or[\s-]*)?fail\b", " passfail "),
    (("j",), r"\bj(?:[\s-]*1|[\s-]+one)\b", " j1 "),
    (("h1", "h 1", "h-1", "h one"), r"\bh(?:[\s-]*1|[\s-]+one)[\s-]*b?\b", " h1b "),
    (("red",), r"\bred[\s-]*flags?\b", " redflag "),
    (("try", "attempt"), r"\b(2nd|second|3rd|third|another|next)[\s-]*(try|attempt)\b", " attempt "),
    (("match",),
     r"\b(didnt|dont|doesnt|wont|cant|couldnt|wouldnt|did[\s-]*not|do[\s-]*not|does[\s-]*not|will[\s-]*not|"
     r"may[\s-]*not|cannot|not|no|failed[\s-]*to|fail[\s-]*to|failing[\s-]*to)[\s-]*(get[\s-]*)?match(ing|ed)?\b",
     " unmatched "),
    (("unmatched",), r"\bgo(ing)?[\s-]*unmatched\b", " unmatched "),
    (("which",), r"\bwhich[\s-]*(kind[\s-]*of[\s-]*|type[\s-]*of[\s-]*)?(attendings?|doctors?|physicians?|writers?|people|specialists?)\b",
     " who \\2 "),
    (("plan",), r"\bplan[\s-]*b\b", " backup "),
    (("back",), r"\bback[\s-]*up\b", " backup "),
    (("many", "much", "number"), r"\bhow[\s-]*(many|much)\b|\bnumber[\s-]*of\b", " howmany "),
    (("point", "time", "stage"), r"\b(at[\s-]*)?what[\s-]*(point|time|stage)\b", " when "),
    (("wait", "hold"), r"\b(wait|hold[\s-]*off)[\s-]*(a|one|another|an[\s-]*extra|until|till|til)[\s-]*"
     r"(year|cycle|season|next)\b|\bhold[\s-]*off\b", " delay "),
    (("steps",), r"\bsteps?[\s-]*(late|early|scores?|exams?)\b|\bmy[\s-]*steps\b", " usmle "),
    (("sub",), r"\bsub[\s-]*i(nternship)?s?\b", " subi "),
    (("transitional",), r"\btransitional[\s-]*year\b", " transitionalyear "),
    (("review",), r"\bchart[\s-]*review\b", " research "),
    (("report",), r"\bcase[\s-]*reports?\b", " research "),
    (("mock",), r"\bmock[\s-]*interviews?\b", " mockinterview "),
    (("make", "balanc", "cancel", "up"),
     r"\bmake[\s-]*up[\s-]*for\b|\bbalance[\s-]*(it|that|this)?[\s-]*out\b|\bcancel[\s-]*out\b|\bstack[\s-]*up\b",
     " compensate "),
    (("resident",), r"\bresidents?[\s-]*(a|per|each|every)[\s-]*(year|cycle)\b", " position "),
    (("treat", "manag", "side", "drug", "mechanism"),
     r"\bhow[\s-]*(do[\s-]*(i|you|we)[\s-]*|to[\s-]*|should[\s-]*(i|we)[\s-]*)(treat|manage|dose)\b"
     r"|\b(treatment|management)[\s-]*(for|of)\b|\bside[\s-]*effects?\b|\bdrug[\s-]*of[\s-]*choice\b"
     r"|\bmechanism[\s-]*of\b", " clinicalq "),
    (("when", "date", "day"),
     r"\bwhen[\s-]*(exactly[\s-]*)?(does|do|will|is|are)[\s-]*(the[\s-]*)?(eras|nrmp|match|applications?|"
     r"registration|portal|token|rol)[\s-]*(open|opens|close|closes|start|starts|begin|begins|due|day)?\b"
     r"|\b(what|which)[\s-]*(date|day)\b|\bmatch[\s-]*day\b", " dateq "),
    (("program", "prog", "application"), r"\b\d{2,3}[\s-]*\+?[\s-]*(programs?|progs?|applications?)\b",
     " howmany program "),
    (("school",), r"\bhigh[\s-]*school\b", " highschool "),
    (("cover",), r"\bcover[\s-]*letters?\b", " coverletter "),
    (("give", "reach"), r"\bgive[\s-]*up\b|\bout[\s-]*of[\s-]*(my[\s-]*)?reach\b", " chance "),
    # "hope" is a chance only where it is had or lost, not in "I hope you are well"
    (("hope",), r"\b(any|some|still|no|lost|lose|losing|real|much|little|hope)[\s-]*hope\b|\bhope[\s-]*for[\s-]*(me|us|someone|people|img|imgs)\b",
     " chance "),
    (("well", "pass", "high", "good"),
     r"\b(do|doing|score|scoring)[\s-]*(well|good|high|higher)[\s-]*(in|on)[\s-]*(the[\s-]*)?"
     r"(ck|step1|step3|usmle|exam|boards?)\b"
     r"|\bhow[\s-]*(to|do[\s-]*i|can[\s-]*i)[\s-]*pass[\s-]*(the[\s-]*)?(ck|step1|step3|usmle|exam|boards?)\b",
     " examprep "),
    (("prepar", "study", "revis", "resource", "book"),
     r"\b(prepar\w*|study\w*|revis\w*|resources?|books?)[\s-]*(for[\s-]*)?(the[\s-]*)?"
     r"(oet|ielts|toefl|exams?|tests?|step1|ck|step3|usmle|boards?)\b", " examprep "),
    (("stand",), r"\bstand[\s-]*out\b", " standout "),
    (("home", "country"),
     r"\bhome[\s-]*country\b|\bback[\s-]*home\b|\bmy[\s-]*country\b|\bhome[\s-]*experience\b", " homecountry "),
    (("brag",), r"\bbrag[\s-]*sheet\b", " bragsheet "),
    (("friendly",), r"\bimg[\s-]*friendly\b", " imgfriendly "),
    (("first",), r"\bfirst[\s-]*aid\b", " firstaid "),
    (("first",), r"\bfirst[\s-]*line\b", " firstline "),
    (("rate",), r"\bmatch[\s-]*rates?\b", " matchrate "),
    (("rank", "rol"), r"\brank[\s-]*order[\s-]*lists?\b|\brol\b", " rol "),
    (("triple",), r"\btriple[\s-]*board\b", " tripleboard "),
    (("emergency",), r"\bemergency[\s-]*medicine\b", " emergencymedicine "),
    (("family",), r"\bfamily[\s-]*medicine\b|\bfamily[\s-]*med\b", " familymedicine "),
    (("general",), r"\bgeneral[\s-]*surgery\b", " surgery "),
    (("child",), r"\bchild[\s-]*(and[\s-]*adolescent[\s-]*)?psych(iatry)?\b", " childpsych "),
    (("social",), r"\bsocial[\s-]*media\b", " socialmedia "),
    (("thank", "yourself", "rate", "long", "day", "call", "switch", "transfer"),
     r"\bthank[\s-]*you[\s-]*(note|email|mail|letter|card)s?\b|\btell[\s-]*me[\s-]*about[\s-]*yourself\b"
     r"|\bpass(ing)?[\s-]*rates?\b|\bhow[\s-]*long[\s-]*(is|does|will)[\s-]*(the[\s-]*)?(residency|training|medpsych|psych|im)\b"
     r"|\bday[\s-]*to[\s-]*day\b|\b(night|on|overnight)[\s-]*calls?\b|\bcall[\s-]*(schedule|shifts?)\b|\b(switch|transfer)\w*[\s-]*(specialt\w*|programs?|residency|residencies)\b"
     r"|\b(switch|transfer)\w*\b[^.?!]{0,40}\bduring[\s-]*(my[\s-]*|the[\s-]*)?residency\b",
     " offtopicq "),
    (("proofread", "edit", "review", "check", "correct", "for me", "write"),
     r"\b(proofread|edit|review|check|correct|rewrite|improve)[\s-]*(my|this)[\s-]*(ps|cv|email|lor|draft|essay)\b"
     r"|\bwrite[\s-]*(my|a|the)[\s-]*(ps|cv|lor|email|essay)[\s-]*for[\s-]*me\b|\bproofread\w*\b",
     " servicereq "),
    (("practice", "sample", "question"), r"\b(practice|sample|free)[\s-]*(questions?|tests?|exams?|nbmes?)\b",
     " examprep "),
    (("data", "privacy", "delete", "store"),
     r"\b(my|your|user)[\s-]*(data|information|info|chats?|messages?)\b|\bprivacy\b", " botmeta "),
    (("who",), r"\bwho[\s-]*(made|built|created|wrote|programmed)\b", " botmeta "),
    (("you", "u "), r"\b(are|r)[\s-]*(you|u)[\s-]*(a[\s-]*)?(bot|human|real|ai|robot)\b", " botmeta "),
)
# fmt: on
_PHRASE_RES = tuple((triggers, re.compile(p), r) for triggers, p, r in _PHRASES)

# Abbreviations, slang and spellings applicants use: "index terms = words folded to them".
_SYNONYM_TABLE = """
# exams and scores
ck = step2 s2ck ck step2ck
usmle = usmle
step1 = step1
step3 = step3
score = boards board scores scored scoring marks result results
attempt = attempts attempt tries
passfail = pf
fail = fail failed failure failures failing flunk flunked fails
retake = retake retakes retaking resit resitting redo rewrite repeat reattempt
low = low lower bad weak poor below mediocre terrible
borderline = borderline
average = avg
# letters
lor = lor lors loc letter letters recommendation recommendations recomendation rec recs slor slors
# clinical experience
usce = usce observership observerships obs observer
usce rotation = externship externships
rotation = rotation rotations elective electives clerkship clerkships subi
attending = attending attendings supervisor preceptor consultant
# statement
ps = ps statement statment essay
# programs, people, specialties
pd = pd pds director directors faculty
pd interview = interviewer interviewers
img = img imgs fmg fmgs foreign international foreigner nonus
img visa = foreignnational
medpsych = medpsych combined
integrated = integrated
im = im medicine
psych = psych psychiatry psychiatric psychiatrist psychiatrists
categorical = categorical regular
cl = cl psychosomatic
prelim = prelim preliminary
prelim transitionalyear = transitionalyear
qi = qi
research = research publications publication pubs pub papers paper poster posters
eras = eras
nrmp = nrmp
match = match matching matched
unmatched = unmatched soap
residency = residency residencies resident residents
program = programme programmes progs prog pgms
competitive = selective
position = spots positions seats slots
# visas
j1 visa = j1
h1b visa = h1b h1
visa = visa visas
sponsor = sponsor sponsors sponsorship sponsoring sponsored
# chances, plans, tactics
chance = chance chances odds shot hopeless impossible
realistic = realistic realistically
email = email emails emailing mail template
contact = contact contacting
reach = reach
backup = backup backups fallback
timeline = timeline timelines roadmap
tier = tiers tier
safety = safety
delay = delay delaying postpone postponing
reapply = reapply reapplying reapplication
filter = filter filters filtered screen screened screening cutoff cutoffs threshold
impress = impression shine noticed standout remember
compensate = outweigh offset overcome compensate override trump
english = english
accent = accent
toefl = toefl
ielts = ielts
oet = oet
# question words and chat spellings
who = whom
howmany = howmany
should = shud
would = wud
could = cud
people = ppl
graduate = grad grads graduates
year = yr yrs years
cycle = season cycles
"""
# Words of the languages applicants ask in (Spanish, Portuguese, French, Italian, Polish, Romanian,
# Turkish, Indonesian / Malay, Tagalog), accents dropped: "english: foreign, foreign phrase". A question
# is put into English word by word before it is matched, so "mi puntaje es 235, es suficiente?" finds
# the topic "is my score enough" does. Only words of the domain: "para", "que" and the like say nothing.
_TRANSLATION_TABLE = """
score: puntaje, puntajes, puntuacion, puntuaciones, calificacion, pontuacao, nota, notas, punteggio, wynik, wyniki, punktacja, skor, nilai, iskor, puntos, punctaj, scorul, puan
enough: suficiente, suficientes, bastante, suffisant, suffisante, sufficiente, sufficienti, wystarczy, wystarczajacy, wystarczajaco, sapat, cukup, suficient, yeterli
chance: oportunidad, oportunidades, posibilidad, posibilidades, probabilidad, chances, possibilita, probabilita, szansa, szanse, pagkakataon, tsansa, peluang, kesempatan, sansa, sanse, sansim, sansi
programs: programas, programmi, programy, programow, programe, programlar
program: programa, programma, programu
residency: residencia, residentado, internat, specializzazione, specjalizacja, rezydentura, rezidentiat, residensi, uzmanlik
interview: entrevista, entrevistas, entretien, entretiens, colloquio, colloqui, wywiad, rozmowa, rozmowie, panayam, wawancara, interviu, mulakat
letters: cartas, lettres, lettere, sulat, surat, scrisori
letter: carta, lettre, lettera, scrisoare
recommendation: recomendacion, recomendacao, recommandation, raccomandazione, rekomendasi, rekomendacja, rekomendacji, recomandare, tavsiye
personal statement: declaracion personal, carta de motivacion, carta de presentacion, lettre de motivation, lettera motivazionale, list motywacyjny
experience: experiencia, experiencias, esperienza, doswiadczenie, doswiadczenia, karanasan, pengalaman, experienta, deneyim
clinical: clinica, clinico, clinicas, clinicos, clinique, cliniques, kliniczne, klinis, klinik
research: investigacion, investigaciones, pesquisa, pesquisas, recherche, ricerca, badania, badanie, penelitian, riset, cercetare, pananaliksik, arastirma
publication: publicacion, publicaciones, publicacao, pubblicazione, publikacja, publikasi
quality improvement: proyecto de calidad, mejora de calidad, melhoria de qualidade, amelioration de la qualite, miglioramento della qualita
failed: reprobe, reprobado, reprobada, reprovei, reprovado, reprovada, echoue, echouee, bocciato, bocciata, oblalem, oblalam, oblany, gagal, bumagsak, picat, picata, kaldim
failure: fracaso, reprobacion, echec, fallimento, bocciatura, porazka, kegagalan, esec, kabiguan
passed: aprobe, aprobado, aprobada, passei, aprovado, aprovada, reussi, reussie, superato, zdalem, zdalam, lulus, pumasa, promovat, gectim
retake: repetir, recursar, refaire, repasser, ripetere, powtorzyc, powtorka, mengulang, ulitin
explain: explicar, explico, explique, expliquer, spiegare, wyjasnic, menjelaskan, ipaliwanag, explica, aciklamak
visa: visado, wiza, viza, vize
sponsor: patrocinio, patrocinan, patrocinar, patrocina, parrainage, sponsorizzazione, sponsorowanie
foreign: extranjero, extranjera, extranjeros, estrangeiro, estrangeira, etranger, etrangere, straniero, straniera, zagraniczny, asing, dayuhan, strain, yabanci
psychiatry: psiquiatria, psychiatrie, psichiatria, psychiatria, psikiatri, psikiyatri, psihiatrie, psiquiatra, psychiatre, psichiatra, psychiatra
internal medicine: medicina interna, medecine interne, choroby wewnetrzne, penyakit dalam, medicina interna, ic hastaliklari
combined: combinada, combinado, combinados, combinadas, combine, combinee, combinata, combinato, polaczona, gabungan, pinagsama
home country: pais de origen, mi pais, meu pais, pays d'origine, mon pays, paese d'origine, mio paese, moim kraju, negara asal, aking bansa, tara mea
delay: retrasar, posponer, aplazar, adiar, reporter, rinviare, posticipare, opoznic, przelozyc, menunda, ipagpaliban, amana, ertelemek
list: lista, liste, elenco, listahan
how many: cuantos, cuantas, quantos, quantas, combien, quanti, quante, berapa, ilan, cate, kac
email: correo, correos, courriel, surel
contact: contactar, contacto, contacter, contattare, skontaktowac, menghubungi, kontakin
timeline: cronograma, calendario, chronologie, cronologia, harmonogram, jadwal
rotation: rotacion, rotaciones, rotacao, rotazione, rotacja, rotasi
low: bajo, baja, bajos, bajas, baixo, baixa, bas, basse, basso, bassa, niski, niska, niskim, rendah, mababa, scazut, dusuk
hard: dificil, dificiles, difficile, difficili, trudno, trudne, sulit, mahirap, greu, zor
need: necesito, necesita, necesitan, preciso, precisa, besoin, bisogno, potrzebuje, perlu, kailangan, nevoie, gerekli
match: emparejar, dopasowanie
apply: postular, postulo, postulacion, candidatar, candidatarme, postuler, candidarsi, candidarmi, aplikowac, mendaftar, daftar, mag apply, magapply, basvurmak, basvuru
also: tambien, tambem, aussi, anche, rowniez, juga, de asemenea, ayrica
find: encontrar, encuentro, trouver, trovare, znalezc, mencari, cari, hanapin, gasesc, bulmak
accept: aceptan, acepta, aceitam, acceptent, accepte, accettano, akceptuja, menerima, tumatanggap, accepta, kabul
help: sirve, ayuda, ajuda, aide, aiuta, pomaga, membantu, makakatulong, ajuta
US: eeuu, ee uu, estados unidos, eua, etats unis, stati uniti, usa, stanach, amerika, amerikas
beyond: bukod sa, ademas de, alem de, au dela de, oltre a, poza, selain
look for: buscan, procuram, cherchent, cercano, szukaja, hinahanap, dicari
unmatched: no hice match, sin match, pas de match
"""
TRANSLATIONS: dict[str, str] = {
    foreign.strip(): english.strip()
    for line in _TRANSLATION_TABLE.strip().splitlines()
    for english, _, words in [line.partition(":")]
    for foreign in words.split(",")
}
_FOREIGN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, TRANSLATIONS), key=len, reverse=True)) + r")\b")


def translate(text: str) -> str:
    """Return *text* with the domain words of other languages put into English (then lower case, accents
    dropped); a text with none is returned as it is (its capitals mean something: "IM", "TY")."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    translated = _FOREIGN.sub(lambda m: TRANSLATIONS[m.group(1)], folded)
    return text if translated == folded else translated


SYNONYMS: dict[str, tuple[str, ...]] = {
    word: tuple(terms.split())
    for line in _SYNONYM_TABLE.splitlines()
    if "=" in line and not line.startswith("#")
    for terms, _, words in [line.partition("=")]
    for word in words.split()
}
# An index term is its own word too: "score" said once is the "score" of "scores", not the stem "scor".
SYNONYMS.update(
    {
        term: (term,)
        for line in _SYNONYM_TABLE.splitlines()
        if "=" in line and not line.startswith("#")
        for term in line.partition("=")[0].split()
        if term not in SYNONYMS and term not in ("could", "should", "would")
    }
)

# Words that put a question in the advisor's domain; a question needs at least one.
ANCHORS = _words(
    """
    ck step1 step3 usmle score passfail fail attempt retake lor usce rotation attending ps pd img medpsych im psych
    categorical cl prelim transitionalyear qi research eras nrmp match unmatched residency j1 h1b visa sponsor
    chance program interview redflag mockinterview homecountry bragsheet imgfriendly loi coordinator tier backup
    reapply filter application apply applicant cycle english accent toefl ielts oet integrated fellowship
    freida parallel dual reach safety scorenum mentor wks weeks observership externship ecfmg intealth certification
    timeline delay
    """
)
# Anchors too broad to carry a question alone: with only these, the best score must reach `generic_score`.
GENERIC_ANCHORS = _words(
    "psych im residency program medpsych img apply application match integrated fellowship chance score"
)

# Words that mark a question we do not cover; each one scales the scores down.
OTHER_SPECIALTIES = _words(
    """
    tripleboard childpsych peds pediatric pediatrics paediatrics surgery surgical surgeon ortho orthopedic
    orthopedics derm dermatology radiology rads anesthesia anesthesiology anaesthesia neurology neuro
    ophthalmology ophtho ent urology obgyn gyn obstetrics pathology emergencymedicine familymedicine
    cardiology gastro oncology nephrology pulm dentist dental pharmacy nursing neurosurgery plastics
    dermatologist radiologist anesthesiologist surgeons
    """
)
OFF_TOPIC = OTHER_SPECIALTIES | _words(
    """
    uscitizen usgrad
    clinicalq dose dosage doses mg drug drugs medication medications prescribe prescription diagnose firstline
    examprep prep qbank uworld amboss firstaid anki nbme uwsa pathoma sketchy bootcamp kaplan
    cost costs fee fees price prices salary salaries dollar dollars usd
    dateq matchrate percent percentage rol
    landlord tenant heater highschool coverletter
    hours lifestyle vacation workload city cities live living rent apartment neighborhood dress attire outfit
    embassy consulate stamping ds160
    weather movie movies football soccer cricket joke jokes song songs music recipe
    ramadan eid diwali christmas holiday holidays birthday wedding
    botmeta arabic spanish french hindi urdu translate
    carms canada canadian uk plab australia amc germany
    cv resume dm crypto bitcoin forex promo
    certified licence license licensure register transcript
    pathway waiver conrad j2 tourist b1 b2 ssn moonlight moonlighting pgy night
    nights signal signals signaling signalling mph phd masters wear flight flights hotel
    travel socialmedia offtopicq servicereq ireland zealand gulf saudi uae dubai qatar
    dentist dental samsung iphone android laptop engineering engineer gre gmat mcat lsat neet pregnancy pregnant
    couples background police criminal arrest arrested thalamus wdoms stipend parttime
    maternity ds2019 driving schengen vaccine climate madrid barca clasico summarize summarise
    """
)
# A specialty named as the source of a letter or a rotation is still on topic.
SPECIALTY_OK_WITH = _words("lor attending rotation usce writer")

# Mutually exclusive things a question can be about: a snippet whose title names another member of a
# group than the question does is scaled down by `facet_factor`.
FACETS = {"exam": frozenset({"ck", "step1", "step3"}), "channel": frozenset({"ps", "interview", "lor"})}

# Words the stemmer leaves alone, and irregular forms it would get wrong ("stem = words").
_UNSTEMMED = _words(
    "this is was has does yes us thus always series news application applicant program write writer competitive "
    "better best worse"
)
_STEM_TABLE = """
apply = applying applied applies
application = applications
applicant = applicants
write = writing written wrote
writer = writers
take = taking
make = making
give = gave given giving
ask = asked asking
interview = interviews interviewing interviewed
program = programs
explain = explanation explaining explained
communication = communicate communicating
competitive = competitiveness competition
mention = mentioning mentioned mentions
stand = stood standing stands
impress = impressive impressed
"""
_STEM_EXCEPTIONS = {word: word for word in _UNSTEMMED} | {
    word: stem_
    for line in _STEM_TABLE.strip().splitlines()
    for stem_, _, words in [line.partition(" = ")]
    for word in words.split()
}


def stem(word: str) -> str:
    """Return a light stem of *word* (plural, -ing, -ed, -ly, final e)."""
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]
    elif word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("ed") and len(word) >= 5:
        word = word[:-2]
        if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
            word = word[:-1]
    elif word.endswith("ly") and len(word) >= 6:
        word = word[:-2]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _im(m: re.Match[str]) -> str:
    """Tell "IM" (internal medicine) from "im" (I'm) by the word that follows."""
    following = m.group(2)
    if following in _AFTER_I_AM or following.endswith(("ing", "ed")):
        return " i " + following
    return " im " + following


# single letters with spaces or dots between them ("l o r", "E.C.F.M.G."), at most six (the loader
# holds each abbreviation to six letters for this reason)
_SPELLED = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z][ .]){1,5}[A-Za-z](?![A-Za-z0-9])")


def join_spelled(text: str, words: frozenset[str]) -> str:
    """Join letters typed or dictated one by one ("L O R") where they spell one of *words* (lower case);
    a one-letter word before them stays ("a l o r" is "a lor")."""

    def joined(run: re.Match[str]) -> str:
        letters = re.sub(r"[ .]", "", run[0]).lower()
        for k in range(len(letters) - 1):
            if letters[k:] in words:
                return "".join(f"{c} " for c in run[0].replace(".", " ").split()[:k]) + letters[k:]
        return run[0]

    return _SPELLED.sub(joined, text) if words else text


def _normalise(text: str) -> str:
    """Fold Unicode and case, drop apostrophes, and rewrite multi-word terms to one token."""
    folded = unicodedata.normalize("NFKC", text)
    for pattern, replacement in _CASED:
        folded = pattern.sub(replacement, folded)
    folded = _I_AM.sub(" i am ", folded.lower())
    folded = _APOSTROPHE.sub("", folded)
    folded = _IM.sub(_im, folded)
    for triggers, pattern, replacement in _PHRASE_RES:
        if any(t in folded for t in triggers):
            folded = pattern.sub(replacement, folded)
    return folded


# Joins many short texts so they are normalised in one pass; "§" is neither a word character nor
# white space, so no phrase pattern can match across it.
_SEP = " § "


def _normalise_many(texts: list[str]) -> list[str]:
    """Normalise each of *texts*, in one pass where possible."""
    parts = _normalise(_SEP.join(t.replace("§", " ") for t in texts)).split("§")
    return parts if len(parts) == len(texts) else [_normalise(t) for t in texts]


def _fold(word: str) -> tuple[str, ...]:
    """Return the index terms for one word of normalised text."""
    if word.isdigit():
        # a three-digit number in the USMLE range is almost always a score
        return ("scorenum",) if len(word) == 3 and 180 <= int(word) <= 290 else ()
    if word in SYNONYMS:
        return SYNONYMS[word]
    if word in STOPWORDS:
        return ()
    stemmed = stem(word)
    if stemmed in SYNONYMS:
        return SYNONYMS[stemmed]
    if stemmed in STOPWORDS:
        return ()
    return (stemmed,)


def _terms(normalised: str) -> list[str]:
    return [t for word in _WORD.findall(normalised) for t in _fold(word)]


def tokens(text: str) -> list[str]:
    """Return the search terms of *text* (without typo correction), at most MAX_TOKENS."""
    out: list[str] = []
    for word in _WORD.findall(_normalise(text[:MAX_CHARS])):
        out.extend(_fold(word))
        if len(out) >= MAX_TOKENS:
            break
    return out[:MAX_TOKENS]


def _fold_all(words: frozenset[str]) -> frozenset[str]:
    return frozenset(t for w in words for t in (_fold(w) or (w,)))


DOMINANT_SHARE = 0.25  # a runner-up at most this share of the best is no rival
# Where the BM25F ranking, the fused ranking and the n-gram neighbours all put one FAQ first, a runner-up
# up to this share of its score is no rival (the margin alone wants 0.75).
AGREED_SHARE = 0.8
# A question with no domain word still has its topic when one FAQ's words match it strongly and no other
# comes close ("does a gap year look bad?", "does my internship in Pakistan count for anything?").
UNANCHORED_SCORE = 18.0
UNANCHORED_SHARE = 0.5


def _unmistakable(ranked: list[tuple[str, float]]) -> bool:
    """Return whether the best-scored FAQ stands far above the rest, with a strong score."""
    if not ranked or ranked[0][1] < UNANCHORED_SCORE:
        return False
    return len(ranked) == 1 or ranked[1][1] <= UNANCHORED_SHARE * ranked[0][1]


ANCHOR_TERMS = _fold_all(ANCHORS)
GENERIC_TERMS = _fold_all(GENERIC_ANCHORS)
OFF_TOPIC_TERMS = _fold_all(OFF_TOPIC)
SPECIALTY_TERMS = _fold_all(OTHER_SPECIALTIES)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """True if *a* and *b* differ by one insertion, deletion, substitution or adjacent swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    return any(a == b[:i] + b[i + 1 :] for i in range(len(b)))


# ----- character n-grams ---------------------------------------------------------------------------
_SCORE = re.compile(r"\b(1[89]\d|2[0-8]\d|290)\b")  # a three-digit USMLE-range number is a score


def _plain(text: str) -> str:
    """Return *text* folded for the n-gram and embedding scores: NFKC, lower case, scores as one word."""
    return _SCORE.sub(" scorenum ", unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower())


@functools.lru_cache(maxsize=8192)
def _word_grams(word: str) -> tuple[str, ...]:
    """Return the character 2-5-grams of *word*, padded with a space each side (remembered: words recur)."""
    padded = f" {word} "
    return tuple(padded[i : i + n] for n in range(2, 6) for i in range(len(padded) - n + 1))


def _features(text: str) -> tuple[Counter[str], Counter[str]]:
    """Return the character 2-5-grams (within words, padded) and the word 1-2-grams of plain *text*."""
    words = _WORD.findall(text)[:MAX_TOKENS]
    chars: Counter[str] = Counter()
    for word in words:
        chars.update(_word_grams(word))
    grams = Counter(words)
    grams.update(f"{a} {b}" for a, b in pairwise(words))
    return chars, grams


class _Postings:
    """One block of n-gram postings (character or word grams): ids, idf and per-gram slices of
    (phrasing, weight) pairs, sorted by gram so a gram's postings are one slice."""

    def __init__(self, counts: list[Counter[str]]) -> None:
        """Weigh each phrasing's gram *counts* by sublinear TF-IDF, each phrasing normalised to length 1."""
        self.ids: dict[str, int] = {}
        doc_of: list[int] = []
        gram_of: list[int] = []
        tf: list[int] = []
        for d, doc in enumerate(counts):
            doc_of += [d] * len(doc)
            gram_of += [self.ids.setdefault(g, len(self.ids)) for g in doc]
            tf += doc.values()
        docs, grams = np.array(doc_of, dtype=np.intp), np.array(gram_of, dtype=np.intp)
        df = np.bincount(grams, minlength=len(self.ids))
        idf = np.log((1 + len(counts)) / (1 + df)) + 1
        weights = (1 + np.log(np.array(tf, dtype=np.float64))) * idf[grams]
        norms = np.sqrt(np.bincount(docs, weights * weights, minlength=len(counts)))
        weights /= np.where(norms > 0, norms, 1.0)[docs]
        order = np.argsort(grams, kind="stable")  # stable: a gram's phrasings stay in order
        self.docs, self.weights = docs[order], weights[order]
        # lists, not arrays: a question looks up one gram at a time, and numpy scalars are slow for that
        self.idf: list[float] = idf.tolist()
        self.offsets: list[int] = np.concatenate([[0], np.cumsum(df)]).tolist()


class NgramIndex:
    """TF-IDF (sublinear, l2) over character and word n-grams of labelled phrasings; cosine to each.

    Postings sit in numpy arrays so a question's dot products with every phrasing are one
    ``bincount``; a Python loop over them took several milliseconds for a long question, and
    building them with Python dictionaries took most of the bot's start-up.
    """

    def __init__(self, texts: list[str], labels: list[str]) -> None:
        """Index *texts*, each labelled with its FAQ id (texts of one label next to each other)."""
        docs = [_features(_plain(t)) for t in texts]
        n = len(docs)
        self.n = n
        starts = [i for i, label in enumerate(labels) if i == 0 or labels[i - 1] != label]
        self.labels = [labels[i] for i in starts]
        self.starts = np.array(starts, dtype=np.intp)
        # each label's phrasings as a row of indices, padded with -1 (for `closeness`)
        self.sizes = np.diff([*starts, n])
        self.slots = np.full((len(starts), int(self.sizes.max()) if starts else 0), -1, dtype=np.intp)
        for row, (start, size) in enumerate(zip(starts, self.sizes, strict=True)):
            self.slots[row, :size] = np.arange(start, start + size)
        self.blocks = [_Postings([doc[block] for doc in docs]) for block in range(2)]

    def similarities(self, text: str) -> dict[str, float]:
        """Return, per label, the best cosine between *text* and one of its phrasings (0..1)."""
        return self.best(self.cosines(text))

    def best(self, sims: np.ndarray) -> dict[str, float]:
        """Return, per label, the best of the cosines *sims* (one per phrasing)."""
        best = np.maximum.reduceat(sims, self.starts)
        return {label: float(v) for label, v in zip(self.labels, best, strict=True) if v > 0}

    def closeness(self, sims: np.ndarray, k: int = 3) -> dict[str, float]:
        """Return, per label, the mean of its *k* best cosines: a topic many phrasings are near, not one."""
        # one sort of a label x phrasing table (padded with zeros) instead of one per label
        table = np.where(self.slots >= 0, sims[np.maximum(self.slots, 0)], 0.0)
        counts = np.minimum(self.sizes, k)
        best = np.sort(table, axis=1)[:, -k:].sum(axis=1) / counts
        return {label: float(v) for label, v in zip(self.labels, best, strict=True)}

    def cosines(self, text: str) -> np.ndarray:
        """Return the cosine between *text* and each phrasing."""
        sims = np.zeros(self.n)
        for block, grams in zip(self.blocks, _features(_plain(text)), strict=True):
            known = [(block.ids[g], f) for g, f in grams.items() if g in block.ids]
            if not known:
                continue
            weights = [(1 + math.log(f)) * block.idf[i] for i, f in known]
            norm = math.sqrt(sum(w * w for w in weights))
            ranges = [(block.offsets[i], block.offsets[i + 1]) for i, _ in known]
            docs = np.concatenate([block.docs[i:j] for i, j in ranges])
            scale = np.repeat([0.5 * w / norm for w in weights], [j - i for i, j in ranges])
            values = np.concatenate([block.weights[i:j] for i, j in ranges]) * scale
            sims += np.bincount(docs, values, minlength=self.n)  # the two blocks weigh the same
        return sims


@dataclass(frozen=True)
class Match:
    """The matcher's verdict: answer one snippet, offer a choice, or admit it does not know."""

    status: str  # answer | choose | none
    ids: tuple[str, ...] = ()
    scores: tuple[float, ...] = ()


VERDICT_CACHE = 5_000  # verdicts remembered (a few MB at most), the least recently used dropped first

# BM25F field weights and length normalisation: the title counts most, the body least.
FIELD_WEIGHTS = {"title": 2.0, "questions": 1.0, "keywords": 1.0, "body": 0.15}
FIELD_B = {"title": 0.3, "questions": 0.6, "keywords": 0.3, "body": 0.75}


class FaqMatcher:
    """BM25F index over FAQ snippets, with a best-phrasing bonus, a domain gate, a margin rule and an
    n-gram check: an answer the character/word n-gram nearest neighbours do not support is offered as
    a choice instead.

    The defaults were tuned on the eval set's tune split (see eval/evaluate.py); k1 and the phrasing
    weight were then re-tuned by five-fold cross-validation over the FAQ phrasings (eval/RESULTS.md).
    """

    def __init__(
        self,
        faqs: list[Snippet],
        *,
        k1: float = 7.0,
        b: float | None = None,
        field_weights: dict[str, float] | None = None,
        field_b: dict[str, float] | None = None,
        phrasing_weight: float = 3.0,
        phrasing_power: float = 1.0,
        exact_bonus: float = 10.0,
        min_score: float = 7.5,
        generic_score: float = 9.0,
        choose_score: float = 10.5,
        answer_score: float = 10.0,
        margin: float = 0.25,
        choose_ratio: float = 0.75,
        off_topic_factor: float = 0.25,
        facet_factor: float = 0.6,
        head_idf: bool = True,
        check_depth: int | None = 3,
        ngram_weight: float = 0.6,
        spelled_out: tuple[str, ...] = (),
    ) -> None:
        """Index *faqs*.

        k1: BM25 term-frequency saturation; b: one length normalisation for every field (else
        FIELD_B, overridable per field by field_b); field_weights: override FIELD_WEIGHTS;
        phrasing_weight / phrasing_power: weight and exponent of the best single-phrasing cosine;
        exact_bonus: added when the question is (after normalising) one of a snippet's phrasings;
        min_score / generic_score: floors under which the verdict is "none"; answer_score and
        margin: "answer" needs at least answer_score and a runner-up at most (1 - margin) of the
        best; choose_score: "choose" needs at least this, else "none"; choose_ratio: how close to
        the best a candidate must be to be offered; off_topic_factor: scaling per off-topic word;
        facet_factor: scaling for a snippet about another exam or channel; head_idf: take
        document frequencies from titles, questions and keywords; check_depth: an "answer" stands
        only if the n-gram nearest neighbours rank it among this many FAQs, else it becomes "choose"
        (None: no check); ngram_weight: how much the mean n-gram closeness of a topic's three nearest
        phrasings adds to its score, as a share of the best score (the floors use the score without it);
        spelled_out: abbreviations read whole when a question spells them letter by letter.
        """
        self.spelled_out = frozenset(spelled_out)
        self.ids = [s.id for s in faqs]
        self.k1 = k1
        self.weights = {**FIELD_WEIGHTS, **(field_weights or {})}
        self.field_b = {name: b for name in FIELD_B} if b is not None else dict(FIELD_B)
        self.field_b.update(field_b or {})
        self.phrasing_weight = phrasing_weight
        self.phrasing_power = phrasing_power
        self.exact_bonus = exact_bonus
        self.min_score = min_score
        self.generic_score = generic_score
        self.choose_score = choose_score
        self.answer_score = answer_score
        self.margin = margin
        self.choose_ratio = choose_ratio
        self.off_topic_factor = off_topic_factor
        self.facet_factor = facet_factor

        fields: list[dict[str, list[str]]] = []
        phrasings: list[list[list[str]]] = []  # per snippet: the title and each question, as terms
        targets: set[str] = set()  # typo-correction targets: the words of titles, questions, keywords
        for s in faqs:
            title, *rest = _normalise_many([s.title, *s.questions, *s.keywords, s.body])
            questions, keywords, body = rest[: len(s.questions)], rest[len(s.questions) : -1], rest[-1]
            units = [_terms(t) for t in (title, *questions)]
            phrasings.append(units)
            fields.append(
                {
                    "title": units[0],
                    "questions": [t for u in units[1:] for t in u],
                    "keywords": [t for k in keywords for t in _terms(k)],
                    "body": _terms(body),
                }
            )
            for text in (title, *questions, *keywords):
                targets.update(_WORD.findall(text))

        # Document frequency: where a term names a topic (title, questions, keywords); a term seen
        # only in bodies falls back to its body frequency.
        n = len(faqs)
        df_all = Counter(t for doc in fields for t in set().union(*doc.values()))
        df_head = Counter(t for doc in fields for t in {*doc["title"], *doc["questions"], *doc["keywords"]})
        self.idf = {
            t: math.log(1 + (n - f + 0.5) / (f + 0.5))
            for t, f in ((t, df_head[t] if head_idf and df_head[t] else f) for t, f in df_all.items())
        }
        avg = {name: (sum(len(doc[name]) for doc in fields) / n if n else 0.0) or 1.0 for name in FIELD_B}

        # BM25F: per term and snippet, the weighted, length-normalised frequency, saturated once.
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for d, doc in enumerate(fields):
            weighted: defaultdict[str, float] = defaultdict(float)
            for name, terms in doc.items():
                norm = 1 - self.field_b[name] + self.field_b[name] * len(terms) / avg[name]
                for term, f in Counter(terms).items():
                    weighted[term] += self.weights[name] * f / norm
            for term, w in weighted.items():
                self.postings[term].append((d, self.idf[term] * w * (k1 + 1) / (w + k1)))

        # Phrasings: the title and each alternative question, as idf-weighted term sets.
        self.phrase_owner: list[int] = []
        self.phrase_norm: list[float] = []
        self.phrase_postings: dict[str, list[int]] = defaultdict(list)
        for d, units in enumerate(phrasings):
            for unit in units:
                unique = set(unit)
                if not unique:
                    continue
                p = len(self.phrase_owner)
                self.phrase_owner.append(d)
                self.phrase_norm.append(math.sqrt(sum(self.idf[t] ** 2 for t in unique)))
                for t in unique:
                    self.phrase_postings[t].append(p)

        # The check: character and word n-grams of every phrasing, nearest neighbour per FAQ.
        texts, labels = [], []
        for s in faqs:
            for phrasing in (s.title, *s.questions, " ".join(s.keywords)):
                if phrasing.strip():
                    texts.append(phrasing)
                    labels.append(s.id)
        self.ngrams = NgramIndex(texts, labels)
        self.check_depth = check_depth
        self.ngram_weight = ngram_weight
        self._remembered = functools.lru_cache(maxsize=VERDICT_CACHE)(self.verdict)

        # Facets: which exam and which channel each snippet's title is about.
        self.facets = [{g: frozenset(units[0]) & group for g, group in FACETS.items()} for units in phrasings]

        # Typo correction: each target word of 4+ letters, filed under itself and its one-letter deletions.
        self.vocab = frozenset(self.idf)
        self.known = self.vocab | STOPWORDS | OFF_TOPIC | OFF_TOPIC_TERMS | ANCHORS | frozenset(SYNONYMS)
        targets |= set(SYNONYMS) | ANCHORS
        targets -= STOPWORDS | OFF_TOPIC
        self.neighbours: dict[str, list[str]] = defaultdict(list)
        for word in targets:
            if len(word) >= 4 and word.isalpha():
                self.neighbours[word].append(word)
                for deleted in _deletes(word):
                    self.neighbours[deleted].append(word)

    # ----- query side ----------------------------------------------------------------------------
    def _correct(self, word: str) -> str | None:
        """Return a target word one edit away from the unknown *word*, if there is one."""
        if not 6 <= len(word) <= MAX_WORD or not word.isalpha():
            return None
        candidates = set(self.neighbours.get(word, ()))
        for deleted in _deletes(word):
            candidates.update(self.neighbours.get(deleted, ()))
        found = sorted(c for c in candidates if _within_one_edit(word, c))
        return found[0] if found else None

    def query_terms(self, text: str) -> list[str]:
        """Return the index terms of *text*, typos corrected where one edit finds a known word."""
        out: list[str] = []
        for word in _WORD.findall(_normalise(text[:MAX_CHARS])):
            folded = _fold(word)
            if len(folded) == 1 and folded[0] not in self.known and word not in self.known:
                fixed = self._correct(word)
                if fixed is not None:
                    folded = _fold(fixed) or (fixed,)
            out.extend(folded)
            if len(out) >= MAX_TOKENS:
                break
        return out[:MAX_TOKENS]

    def _rank(self, terms: list[str]) -> list[tuple[str, float]]:
        """Return (id, score) for the snippets sharing a term with *terms*, best first."""
        if not terms:
            return []
        scores = [0.0] * len(self.ids)
        for term, qf in Counter(terms).items():
            boost = 1.0 + 0.25 * min(qf - 1, 2)  # repeating a word counts, a little
            for d, contribution in self.postings.get(term, ()):
                scores[d] += contribution * boost

        unique = set(terms)
        known = unique & self.vocab
        if known:  # the closest single phrasing: idf-weighted cosine of term sets
            qnorm = math.sqrt(sum(self.idf[t] ** 2 for t in known))
            overlap: dict[int, float] = defaultdict(float)
            for t in known:
                for p in self.phrase_postings.get(t, ()):
                    overlap[p] += self.idf[t] ** 2
            best: dict[int, float] = {}
            for p, o in overlap.items():
                d = self.phrase_owner[p]
                best[d] = max(best.get(d, 0.0), o / (qnorm * self.phrase_norm[p]))
            for d, sim in best.items():
                scores[d] += self.phrasing_weight * sim**self.phrasing_power
                if sim > 0.999:  # the question is one of the snippet's own phrasings
                    scores[d] += self.exact_bonus

        asked = {g: unique & group for g, group in FACETS.items()}
        for d, facets in enumerate(self.facets):
            for g, named in facets.items():
                if asked[g] and named and not asked[g] & named:
                    scores[d] *= self.facet_factor

        off_topic = unique & OFF_TOPIC_TERMS
        if unique & SPECIALTY_OK_WITH:
            off_topic -= SPECIALTY_TERMS
        factor = self.off_topic_factor ** len(off_topic)

        ranked = [(i, s * factor) for i, s in zip(self.ids, scores, strict=True) if s > 0]
        ranked.sort(key=lambda r: (-r[1], r[0]))
        return ranked

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Return (id, score) pairs for *text*, best first; only snippets sharing a term appear."""
        text = translate(text)
        return self._fused(self._rank(self.query_terms(text)), self.ngrams.cosines(text))

    def _fused(self, ranked: list[tuple[str, float]], sims: np.ndarray) -> list[tuple[str, float]]:
        """Add to each ranked snippet the n-gram closeness of its phrasings, scaled to the best score."""
        if not ranked or not self.ngram_weight:
            return ranked
        close = self.ngrams.closeness(sims)
        lift = self.ngram_weight * ranked[0][1]
        fused = [(i, s + lift * close.get(i, 0.0)) for i, s in ranked]
        fused.sort(key=lambda r: (-r[1], r[0]))
        return fused

    def match(self, text: str) -> Match:
        """Return the verdict for *text* (remembered: many users ask the same questions in the same words)."""
        return self._remembered(text)

    def verdict(self, text: str) -> Match:
        """Return the verdict for *text*, worked out afresh (what `match` remembers; the benchmark times it)."""
        text = translate(join_spelled(text, self.spelled_out))
        terms = self.query_terms(text)
        anchors = set(terms) & ANCHOR_TERMS
        ranked = self._rank(terms)
        if not anchors and not _unmistakable(ranked):
            return Match("none")
        floor = self.min_score if anchors - GENERIC_TERMS else max(self.min_score, self.generic_score)
        if not ranked or ranked[0][1] < floor:
            return Match("none")
        sims = self.ngrams.cosines(text)
        lexical_id, lexical = ranked[0]
        # the floors keep the lexical score; the order, margins and answer threshold use both
        ranked = self._fused(ranked, sims)
        best_id, best = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        clear_lead = second <= (1 - self.margin) * best
        # A weaker score with no rival at all ("is toefl enough for ecfmg?") is still one topic.
        alone = second <= DOMINANT_SHARE * best
        if len(ranked) == 1 or (best >= self.answer_score and clear_lead) or alone:
            return self._checked(sims, best_id, best)
        if lexical < self.choose_score:  # no clear winner and weak evidence: most likely a near miss
            return Match("none")
        if best >= self.answer_score and second <= AGREED_SHARE * best and lexical_id == best_id:
            # a narrower lead still answers when the word match and the n-gram neighbours pick it too
            near = sorted(self.ngrams.best(sims).items(), key=lambda r: (-r[1], r[0]))
            if near and near[0][0] == best_id:
                return Match("answer", (best_id,), (round(best, 4),))
        close = [r for r in ranked[:3] if r[1] >= self.choose_ratio * best] or ranked[:1]
        if len(close) < 2:
            close = ranked[:2]
        return Match("choose", tuple(i for i, _ in close), tuple(round(s, 4) for _, s in close))

    def _checked(self, sims: np.ndarray, best_id: str, best: float) -> Match:
        """Keep the answer if the n-gram neighbours agree; else offer it beside their first pick."""
        if self.check_depth is None:
            return Match("answer", (best_id,), (round(best, 4),))
        near = sorted(self.ngrams.best(sims).items(), key=lambda r: (-r[1], r[0]))
        if best_id in [i for i, _ in near[: self.check_depth]]:
            return Match("answer", (best_id,), (round(best, 4),))
        if not near:
            return Match("none")
        return Match("choose", (best_id, near[0][0]), (round(best, 4), round(near[0][1], 4)))
