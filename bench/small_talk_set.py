"""A written interview set with its small talk known: twelve remote CX interviews (six English, six Finnish) about a
B2B energy and software supplier, built turn by turn so that every respondent turn is known to be substance or talk.

Written for teema's benchmarks by its developers, 2026-12 (issue 17); not taken from any study. The small talk is
phrased as machine transcripts of Teams calls have it, and on purpose not only as models/small_talk.toml lists it
(wifi trouble, "say that once more", "hang on"), so the figures show what the lexicon misses. Some respondent turns
start with the tail of the interviewer's question, as machine transcripts cut turns; some files use lower-case
labels ("interviewer:" / "interviewee:"), one mixes label styles, and a thirteenth interview is in French. A second,
held-out list of small talk was written before the lexicon was tuned on the first one.

`write_set(folder)` writes the thirteen .txt files and returns the truth: one row per respondent turn (file, line,
kind: "substance" or "talk", and the echoed question tail, if any).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

# topic -> (question, answers); each answer one or two sentences a respondent says
EN_TOPICS = {
    "invoicing": ("How has invoicing worked for you this year?", [
        "The invoices came with the wrong unit price three months in a row.",
        "Every correction took two phone calls and a week of waiting.",
        "Our accounting could not match the invoice lines to our purchase orders.",
        "The credit note for the double charge arrived only after six weeks.",
        "The e-invoice format changed in March and our bank rejected the files.",
        "Billing is fine now, but the first quarter was a mess of duplicate invoices.",
        "I never understood why the invoice showed a delivery fee we had not agreed on.",
        "We had to pay a late fee because the invoice went to an old address.",
    ]),
    "support": ("What has it been like to contact customer support?", [
        "Support answers the phone quickly, but the first person never knows our contract.",
        "I waited forty minutes in the chat queue before anyone replied.",
        "The ticket was closed without a fix, and I had to open it again twice.",
        "Their technician explained the fault clearly and it was fixed the same day.",
        "Nobody called back even though the website promised a reply within a day.",
        "The support portal loses the attachments we send with our tickets.",
        "One support agent, who knew our sites, solved in ten minutes what had taken weeks.",
        "Out of office hours there is simply no way to reach a person.",
    ]),
    "onboarding": ("How did the start of the customership go?", [
        "The onboarding training was practical and our staff learned the system in a day.",
        "Nobody told us which documents we needed before the contract could start.",
        "The kick-off meeting was cancelled twice by the supplier.",
        "Our account manager walked us through every step of the switch-over.",
        "The welcome package had the wrong meter numbers for two of our sites.",
        "It took three weeks before we got user names for the reporting service.",
        "The training videos were good, but they showed an old version of the service.",
        "We were promised a named contact person and never got one.",
    ]),
    "app": ("What do you think of the mobile app and the online service?", [
        "The mobile app logs me out every time I switch between our sites.",
        "The consumption graphs in the app are the best part of the whole service.",
        "The online service is slow in the mornings when everyone checks the reports.",
        "I cannot download the monthly report as Excel, only as a PDF.",
        "After the update the app crashed whenever I opened the invoices tab.",
        "Two-factor login with the text message code works well.",
        "Half of the menus in the online service are still only in Finnish.",
        "The alerts about unusual consumption saved us from a leaking pipe.",
    ]),
    "pricing": ("How do you see the pricing and the contract terms?", [
        "The fixed price contract was clearly cheaper than the competitors' offers.",
        "The price went up in the autumn and the notice came only two weeks before.",
        "The contract terms were written so that we could not compare them with other offers.",
        "The monthly base fee is too high for our smallest sites.",
        "Ending the contract early would have cost us a penalty of three months.",
        "The sales person offered a discount that never showed up on the invoices.",
        "I like that the price is tied to the market index and it is easy to follow.",
        "The renewal offer arrived after the old contract had already ended.",
    ]),
    "installation": ("How did the installation of the new meters go?", [
        "The installers came on time and cleaned up after themselves.",
        "Nobody told us the power would be cut for four hours during the installation.",
        "The installation was booked for a day when our premises are closed.",
        "The new meter at the warehouse stopped sending readings after a month.",
        "The installer could not answer any questions about the new reporting.",
        "We had to take a day off work to let the installer in, and he did not come.",
        "The whole installation took less than an hour per site.",
        "The old meters were left on our floor for someone else to take away.",
    ]),
}

FI_TOPICS = {
    "laskutus": ("Miten laskutus on toiminut tänä vuonna?", [
        "Laskut tulivat väärällä yksikköhinnalla kolme kuukautta peräkkäin.",
        "Jokainen laskun korjaus vaati kaksi soittoa ja viikon odottelun.",
        "Kirjanpito ei saanut laskun rivejä täsmäämään ostotilauksiin.",
        "Hyvityslasku tuplaveloituksesta tuli vasta kuuden viikon päästä.",
        "Verkkolaskun muoto muuttui maaliskuussa ja pankki hylkäsi aineistot.",
        "Laskutus toimii nyt, mutta alkuvuosi oli yhtä tuplalaskujen sotkua.",
        "En koskaan ymmärtänyt, miksi laskulla oli toimitusmaksu, josta ei ollut sovittu.",
        "Jouduimme maksamaan viivästyskorkoa, koska lasku meni vanhaan osoitteeseen.",
    ]),
    "asiakaspalvelu": ("Millaista on ollut ottaa yhteyttä asiakaspalveluun?", [
        "Asiakaspalvelu vastaa nopeasti, mutta ensimmäinen ihminen ei koskaan tunne sopimustamme.",
        "Odotin chatin jonossa neljäkymmentä minuuttia ennen kuin kukaan vastasi.",
        "Tukipyyntö suljettiin ilman korjausta, ja jouduin avaamaan sen uudelleen kahdesti.",
        "Asentaja selitti vian selkeästi ja se korjattiin samana päivänä.",
        "Kukaan ei soittanut takaisin, vaikka verkkosivuilla luvattiin vastaus vuorokaudessa.",
        "Tukiportaali hukkaa liitteet, jotka lähetämme tukipyyntöjen mukana.",
        "Yksi tukihenkilö, joka tunsi kohteemme, ratkaisi kymmenessä minuutissa viikkojen ongelman.",
        "Virka-ajan ulkopuolella ihmistä ei yksinkertaisesti tavoita mitenkään.",
    ]),
    "aloitus": ("Miten asiakkuuden alku sujui?", [
        "Käyttöönottokoulutus oli käytännöllinen ja henkilöstö oppi järjestelmän päivässä.",
        "Kukaan ei kertonut, mitä asiakirjoja tarvitsimme ennen kuin sopimus voi alkaa.",
        "Toimittaja perui aloituspalaverin kahdesti.",
        "Asiakkuuspäällikkö kävi kanssamme läpi vaihdon jokaisen vaiheen.",
        "Tervetulopaketissa oli väärät mittarinumerot kahdelle kohteellemme.",
        "Raportointipalvelun käyttäjätunnukset saatiin vasta kolmen viikon päästä.",
        "Koulutusvideot olivat hyviä, mutta niissä näkyi palvelun vanha versio.",
        "Meille luvattiin nimetty yhteyshenkilö, mutta sellaista ei koskaan tullut.",
    ]),
    "sovellus": ("Mitä mieltä olet mobiilisovelluksesta ja verkkopalvelusta?", [
        "Mobiilisovellus kirjaa minut ulos aina, kun vaihdan kohteesta toiseen.",
        "Sovelluksen kulutuskäyrät ovat koko palvelun paras osa.",
        "Verkkopalvelu on aamuisin hidas, kun kaikki katsovat raportteja.",
        "Kuukausiraporttia ei saa ladattua Exceliksi, vain PDF:nä.",
        "Päivityksen jälkeen sovellus kaatui aina, kun avasin laskut-välilehden.",
        "Kaksivaiheinen tunnistautuminen tekstiviestikoodilla toimii hyvin.",
        "Puolet verkkopalvelun valikoista on edelleen vain englanniksi.",
        "Poikkeavan kulutuksen hälytykset pelastivat meidät vuotavalta putkelta.",
    ]),
    "hinnoittelu": ("Miten näet hinnoittelun ja sopimusehdot?", [
        "Kiinteähintainen sopimus oli selvästi kilpailijoiden tarjouksia edullisempi.",
        "Hinta nousi syksyllä ja ilmoitus tuli vain kaksi viikkoa etukäteen.",
        "Sopimusehdot oli kirjoitettu niin, ettei niitä voinut verrata muihin tarjouksiin.",
        "Kuukausittainen perusmaksu on liian suuri pienimmille kohteillemme.",
        "Sopimuksen päättäminen etuajassa olisi maksanut kolmen kuukauden sakon.",
        "Myyjä lupasi alennuksen, joka ei koskaan näkynyt laskuilla.",
        "Pidän siitä, että hinta on sidottu markkinaindeksiin ja sitä on helppo seurata.",
        "Jatkotarjous tuli vasta, kun vanha sopimus oli jo päättynyt.",
    ]),
    "asennus": ("Miten uusien mittareiden asennus meni?", [
        "Asentajat tulivat ajallaan ja siivosivat jälkensä.",
        "Kukaan ei kertonut, että sähköt katkaistaan asennuksen ajaksi neljäksi tunniksi.",
        "Asennus varattiin päivälle, jolloin toimitilamme ovat kiinni.",
        "Varaston uusi mittari lakkasi lähettämästä lukemia kuukauden jälkeen.",
        "Asentaja ei osannut vastata yhteenkään kysymykseen uudesta raportoinnista.",
        "Jouduin ottamaan vapaapäivän päästääkseni asentajan sisään, eikä hän tullut.",
        "Koko asennus kesti alle tunnin kohdetta kohden.",
        "Vanhat mittarit jätettiin lattiallemme jonkun muun vietäväksi.",
    ]),
}

# Short substantive answers (eight words or fewer), which a small-talk check must leave alone: (question, answers)
EN_SHORT = ("In one phrase, what was the worst part?", "And the best part?", [
    "The invoices, definitely.", "Slow support.", "Honestly, the price increase.", "The app crashing.",
    "Waiting for the installer.", "Yeah, the contract penalty.", "Fast repairs.", "The consumption graphs.",
    "Our account manager, really.", "The training day.", "Clear reports.", "Quick installation, honestly.",
])
FI_SHORT = ("Yhdellä sanalla, mikä oli pahinta?", "Entä parasta?", [
    "Laskut, ehdottomasti.", "Hidas asiakaspalvelu.", "Rehellisesti sanottuna hinnankorotus.", "Sovelluksen kaatuilu.",
    "Asentajan odottelu.", "Joo, sopimussakko.", "Nopeat korjaukset.", "Kulutuskäyrät.",
    "Asiakkuuspäällikkö, ihan oikeasti.", "Koulutuspäivä.", "Selkeät raportit.", "Nopea asennus.",
])

# (what the interviewer says, what the respondent answers): talk only
EN_TALK = [
    ("Hi, thanks for joining. Can you hear me?", "Hi, yes, I can hear you fine."),
    ("Great. Is the sound okay on your end?", "Oh, sorry, my wifi is acting up. Can you hear me now?"),
    ("Yes, now it works. Shall we start?", "Sure, go ahead."),
    ("Before we go on, is it okay that I record this?", "Yeah, that's fine."),
    ("Sorry, you froze for a second there.", "Oh, sorry about that. Am I back?"),
    ("Let me share my screen for a moment.", "Okay, I see it now."),
    ("So that was the first part.", "Mm-hmm, right."),
    ("Does that make sense?", "Yes, absolutely, makes sense."),
    ("And the next question is a bit longer.", "Could you say that once more?"),
    ("Hang on, I lost my notes.", "No worries, take your time."),
    ("Okay, so we are almost done.", "Alright, cool."),
    ("That's all the questions I had. Thank you so much.", "Thank you, it was a pleasure. Bye!"),
    ("Thanks again, have a good day.", "You too, take care, bye bye."),
]
FI_TALK = [
    ("Moi, kiitos että pääsit mukaan. Kuuluuko?", "Moi, joo kuuluu hyvin."),
    ("Hyvä. Näkyykö kuva?", "Anteeksi, nyt pätkii vähän. Kuuletko minua?"),
    ("Joo, nyt kuuluu. Aloitetaanko?", "Joo, aloitetaan vaan."),
    ("Sopiiko, että nauhoitan tämän?", "Joo, sopii."),
    ("Sori, jäädyit hetkeksi.", "Ai, anteeksi. Kuulutko taas?"),
    ("Jaan näytön hetkeksi.", "Okei, nyt näkyy."),
    ("Eli se oli ensimmäinen osio.", "Mm, joo."),
    ("Onko tämä selkeää?", "On, ihan selvä."),
    ("Seuraava kysymys on vähän pidempi.", "Voisitko sanoa sen vielä kerran?"),
    ("Hetkinen, muistiinpanot hukassa.", "Ei hätää, rauhassa vaan."),
    ("Okei, ollaan melkein valmiita.", "Selvä, hyvä."),
    ("Siinä olivat kaikki kysymykset. Kiitos paljon.", "Kiitos itsellesi, mukava oli jutella. Heippa!"),
    ("Kiitos vielä, hyvää päivänjatkoa.", "Samoin, nähdään!"),
]

# Held out: other small talk, written before the lexicon was tuned on the lists above and never tuned on
# (`python -m bench.eval_small_talk --talk held-out`).
EN_TALK_HELD_OUT = [
    ("Hello! Are you able to hear me alright?", "Hello, yes, loud and clear."),
    ("Good. Your video is a bit dark, is that okay?", "Hmm, one second, I'll move closer to the window."),
    ("Perfect. Ready when you are.", "Yep, ready."),
    ("I'll take some notes while we talk, if that's alright.", "Of course, no problem at all."),
    ("Sorry, I think the line dropped.", "Sorry, I was muted. Did you catch any of that?"),
    ("Can you see the slide now?", "Yes, I can see it."),
    ("So that covers that part.", "Uh-huh, yeah, okay."),
    ("Is that clear so far?", "Yeah, totally clear."),
    ("Now a question about the future.", "Sorry, what was the question again?"),
    ("Just a second, someone is at my door.", "Sure, no rush."),
    ("We are nearly at the end.", "Okay, great."),
    ("That was my last question, many thanks.", "Thanks to you as well, this was nice. See you!"),
    ("Thanks and have a lovely weekend.", "Same to you, cheers, bye."),
]
FI_TALK_HELD_OUT = [
    ("Hei! Kuulukos ääni hyvin?", "Hei, kuuluu oikein hyvin."),
    ("Hyvä. Kamerasi on vähän tumma, haittaako?", "Hetki, siirryn lähemmäs ikkunaa."),
    ("Hienoa. Voidaan aloittaa kun sopii.", "Joo, valmis ollaan."),
    ("Teen muistiinpanoja samalla, jos se käy.", "Totta kai, ei mitään ongelmaa."),
    ("Anteeksi, taisi yhteys katketa.", "Sori, mulla oli mikki kiinni. Kuulitko mitään?"),
    ("Näkyykö dia nyt?", "Joo, näkyy."),
    ("Eli tämä osio on nyt käsitelty.", "Mm-m, joo, okei."),
    ("Onko tähän asti selvää?", "Joo, ihan selvää."),
    ("Sitten kysymys tulevaisuudesta.", "Anteeksi, mikä se kysymys olikaan?"),
    ("Pieni hetki, ovikello soi.", "Joo, ei kiirettä."),
    ("Ollaan ihan loppusuoralla.", "Okei, hyvä."),
    ("Se oli viimeinen kysymys, kiitos paljon.", "Kiitos samoin, tämä oli mukavaa. Moikka!"),
    ("Kiitos ja mukavaa viikonloppua.", "Samoin sinulle, heippa."),
]

# Unseen: a third, larger list of small talk and of short substantive answers, written (issue 17, second part)
# before the small-talk classifier of pipeline/small_talk_model.py and its examples were written, and never tuned
# on (`python -m bench.eval_small_talk --talk unseen`). Each interview takes its own opening, middle and closing
# talk from these pools, so every pair is used. Conversation management, back-channel, thanks and goodbyes.
EN_UNSEEN_OPEN = [
    ("Hi there, can you hear me okay?", "Hi! Yes, I hear you, can you hear me?"),
    ("Yes, perfectly. How's your day going?", "Pretty good, busy morning but all good."),
    ("Is it alright if I record the call?", "Sure, record away."),
    ("Great, shall we begin?", "Yes, let's do it."),
    ("Hello, thanks for making the time.", "Hello, happy to help."),
    ("Am I coming through clearly?", "Mostly, there's a little echo but it's fine."),
    ("Do you mind if my colleague listens in?", "Not at all, welcome."),
    ("Let me just start the recording.", "Okay, whenever you're ready."),
    ("Good morning! Did you find the link easily?", "Morning, yes, the link worked straight away."),
    ("Can you see me? My camera should be on.", "Yes, I can see you now."),
    ("Sorry I'm a minute late.", "No problem, I just joined myself."),
    ("Shall I explain how this works first?", "Yes please, go ahead."),
]
EN_UNSEEN_MIDDLE = [
    ("So, moving on.", "Mm."),
    ("That's really helpful.", "Right, right."),
    ("Sorry, you cut out there.", "Sorry, go on."),
    ("Hmm, I think your audio dropped.", "Can you hear me now? I switched to my phone."),
    ("Oh, there's a delay on the line.", "Yeah, there's a lag, sorry."),
    ("Just a moment, I need to check my notes.", "Take your time."),
    ("Okay, let me rephrase that.", "Yes, that would help, I didn't quite follow."),
    ("Right.", "Where was I? I completely forgot what I was saying."),
    ("Mm-hmm.", "Yeah, yeah."),
    ("Interesting.", "Uh, yeah, so."),
    ("Got it, thanks.", "Mhm."),
    ("Hello? You went quiet.", "Can you hear me? Hello?"),
    ("Sorry, someone's knocking.", "Sure, I'll wait."),
    ("Sorry about that, my phone is ringing.", "No worries, go ahead and take it."),
    ("Are you still with me?", "Yes, still here."),
    ("I'm going to share a picture now.", "Okay, it's loading, yes, there it is."),
    ("We have about ten minutes left.", "Okay, that works for me."),
    ("Is it okay if we run over a few minutes?", "Yes, I have time until three."),
    ("Let me read the next one out.", "Go for it."),
    ("Oops, I muted myself.", "Ha, happens to everyone."),
]
EN_UNSEEN_CLOSE = [
    ("Anything else you'd like to add?", "No, I think that covers it, thanks."),
    ("Thank you so much for your time today.", "My pleasure, good luck with the project."),
    ("I'll stop the recording now.", "Okay, thanks, have a good one."),
    ("Bye for now.", "Bye, all the best!"),
    ("Thanks again, this was really useful.", "Glad to hear it. Take care!"),
    ("We'll send you the gift card next week.", "Oh lovely, thank you very much."),
    ("That's everything from me.", "Great, cheers, talk soon."),
    ("Have a nice evening.", "You too, goodbye."),
]
FI_UNSEEN_OPEN = [
    ("Moi, kuuluuko ääni?", "Moi! Joo, kuuluu. Kuuluuko sinne?"),
    ("Kuuluu hyvin. Mitäs sinne?", "Ihan hyvää, kiireinen aamu mutta hyvin menee."),
    ("Saanko nauhoittaa tämän puhelun?", "Joo, nauhoita vaan."),
    ("Hyvä, aloitetaanko?", "Aloitetaan."),
    ("Hei, kiitos että löysit aikaa.", "Hei, mielelläni."),
    ("Kuuluuko ääneni selvästi?", "Vähän kaikuu, mutta kyllä se menee."),
    ("Haittaako, jos kollegani kuuntelee mukana?", "Ei ollenkaan, tervetuloa vaan."),
    ("Laitan nauhoituksen päälle.", "Okei, mä oon valmis."),
    ("Huomenta! Löytyikö linkki helposti?", "Huomenta, joo, linkki toimi heti."),
    ("Näkyykö kuvani? Kameran pitäis olla päällä.", "Joo, nyt näkyy."),
    ("Anteeksi, olen minuutin myöhässä.", "Ei se haittaa, tulin itsekin juuri."),
    ("Kerronko ensin, miten tämä etenee?", "Joo, kerro vaan."),
]
FI_UNSEEN_MIDDLE = [
    ("No niin, eteenpäin.", "Mm."),
    ("Tosi hyödyllistä.", "Joo joo."),
    ("Anteeksi, pätkit äsken.", "Sori, jatka vaan."),
    ("Taisi ääni katketa.", "Kuuluuko nyt? Vaihdoin puhelimeen."),
    ("Linjalla on vähän viivettä.", "Joo, täällä on viivettä, sori."),
    ("Hetki, tarkistan muistiinpanoni.", "Ota rauhassa."),
    ("Okei, kysyn toisin.", "Joo, se auttaa, en ihan pysynyt mukana."),
    ("Aivan.", "Anteeksi, mihin mä jäinkään?"),
    ("Mm-m.", "Niin, niin."),
    ("Mielenkiintoista.", "Öö, joo, eli."),
    ("Selvä, kiitos.", "Mhm."),
    ("Sitten seuraava aihe.", "Hetkinen, mun puhelin soi."),
    ("Sori, joku koputtaa.", "Joo, mä odotan."),
    ("Anteeksi, mun puhelin soi.", "Ei haittaa, vastaa vaan."),
    ("Ootko vielä linjoilla?", "Joo, täällä ollaan."),
    ("Näytän nyt kuvan.", "Okei, latautuu, joo, nyt se näkyy."),
    ("Meillä on noin kymmenen minuuttia jäljellä.", "Okei, se sopii."),
    ("Sopiiko, jos mennään pari minuuttia yli?", "Joo, mulla on aikaa kolmeen asti."),
    ("Luen seuraavan ääneen.", "Anna tulla."),
    ("Hups, mykistin itseni.", "Heh, sattuu kaikille."),
]
FI_UNSEEN_CLOSE = [
    ("Haluatko vielä lisätä jotain?", "Ei, kyllä mä sanoin kaiken, kiitos."),
    ("Kiitos paljon ajastasi tänään.", "Ilo oli minun, onnea projektiin."),
    ("Lopetan nauhoituksen nyt.", "Okei, kiitti, hyvää jatkoa."),
    ("Hei sitten.", "Hei hei, kaikkea hyvää!"),
    ("Kiitos vielä, tästä oli paljon apua.", "Kiva kuulla. Pidä huolta!"),
    ("Lähetämme lahjakortin ensi viikolla.", "Ai kiva, kiitos tosi paljon."),
    ("Siinä oli kaikki minulta.", "Hyvä, kiitti, kuullaan."),
    ("Mukavaa iltaa.", "Samoin, kuulemiin."),
]
# Unseen short substantive answers, some opened with back-channel ("Yeah, ...", "Mm, ..."): never small talk
EN_UNSEEN_SHORT = ("Briefly, what annoyed you most?", "And what worked well?", [
    "The hidden fees.", "Slow replies, mostly.", "Honestly, the login.", "The meter readings.",
    "Yeah, the cancelled visit.", "Wrong invoices.",
    "The new dashboard.", "Friendly technicians.", "The price, honestly.", "Quick answers on chat.",
    "Mm, the alerts.", "Easy ordering.",
])
FI_UNSEEN_SHORT = ("Lyhyesti, mikä ärsytti eniten?", "Entä mikä toimi hyvin?", [
    "Piilomaksut.", "Hitaat vastaukset lähinnä.", "Rehellisesti, kirjautuminen.", "Mittarilukemat.",
    "Joo, peruttu käynti.", "Väärät laskut.",
    "Uusi hallintanäkymä.", "Ystävälliset asentajat.", "Hinta, ihan oikeasti.", "Nopeat vastaukset chatissa.",
    "Mm, hälytykset.", "Helppo tilaaminen.",
])
UNSEEN = {"en": (EN_UNSEEN_OPEN, EN_UNSEEN_MIDDLE, EN_UNSEEN_CLOSE),
          "fi": (FI_UNSEEN_OPEN, FI_UNSEEN_MIDDLE, FI_UNSEEN_CLOSE)}


# Fresh: a fourth list, written after the classifier's first unseen figure (the unseen set's misses were then
# looked at and the examples widened) and before that widening; never tuned on (`--talk fresh`).
EN_FRESH_OPEN = [
    ("Hey, good afternoon! How are things?", "Afternoon! Not bad at all, a bit tired, but fine."),
    ("Is the volume okay for you?", "It's a bit quiet, could you turn it up? Ah, better."),
    ("Do you have a hard stop today?", "I need to leave at half past, so we're good."),
    ("Okay if I jot down a few notes?", "Yeah, no problem, jot away."),
    ("Sorry, the waiting room didn't let you in.", "Ah, that's alright, I'm in now."),
    ("Can I call you by your first name?", "Sure, everyone does."),
    ("Did you get the consent form?", "Yes, I signed it yesterday, I think."),
    ("Shall we just dive in?", "Let's dive in."),
]
EN_FRESH_MIDDLE = [
    ("Hm, the picture froze.", "Oh, is it working again? I closed some tabs."),
    ("Okay.", "Yeah, mm-hmm, so, yeah."),
    ("That's good to know.", "Mhm, right."),
    ("Just writing that down.", "Sure, no hurry."),
    ("Sorry, the cleaner is hoovering here.", "Ha, I can barely hear it."),
    ("Let's take the next topic.", "Sorry, can I grab some water first?"),
    ("Sure, go ahead.", "Okay, back, sorry about that."),
    ("Does that sound right?", "Hmm, yes, I'd say so."),
    ("I think we lost the video.", "I turned it off to save bandwidth."),
    ("Hello, can you still hear me?", "Yes, I'm still with you."),
    ("We're halfway through.", "Oh, time flies."),
    ("Let me find my place.", "You were on question six, I think."),
    ("Sorry, I talked over you.", "No, no, you go ahead."),
    ("Wait, I'll reconnect.", "Okay, I'll stay on the line."),
]
EN_FRESH_CLOSE = [
    ("That's it, we're done.", "Already? That was quick, thanks."),
    ("Thank you, it was really interesting.", "Thanks, it was fun to chat."),
    ("You'll get the summary by email.", "Great, looking forward to it."),
    ("Have a great rest of your week.", "You as well, bye now."),
    ("Thanks again and goodbye.", "Bye, take it easy."),
    ("I'll end the call now.", "Sounds good, see you."),
]
FI_FRESH_OPEN = [
    ("Hei, hyvää iltapäivää! Miten menee?", "Iltapäivää! Ihan hyvin, vähän väsyttää, mutta hyvin."),
    ("Onko äänenvoimakkuus sopiva?", "Vähän hiljainen, voisitko laittaa kovemmalle? Ai, parempi."),
    ("Onko sulla tänään kiire pois?", "Mun pitää lähteä puoli, eli hyvin ehditään."),
    ("Sopiiko, että kirjoitan muistiinpanoja?", "Joo, ei ongelmaa, kirjoita vaan."),
    ("Anteeksi, odotushuone ei päästänyt sisään.", "Ai, ei se mitään, nyt oon sisällä."),
    ("Voinko sinutella?", "Totta kai, kaikki sinuttelee."),
    ("Saitko suostumuslomakkeen?", "Joo, allekirjoitin sen eilen, luulisin."),
    ("Hypätäänkö suoraan asiaan?", "Hypätään vaan."),
]
FI_FRESH_MIDDLE = [
    ("Hm, kuva jäätyi.", "Ai, toimiiko taas? Suljin muutaman välilehden."),
    ("Okei.", "Joo, mm, eli, joo."),
    ("Hyvä tietää.", "Mhm, aivan."),
    ("Kirjoitan tuon ylös.", "Joo, ei kiirettä."),
    ("Sori, täällä imuroidaan.", "Heh, tuskin kuuluu."),
    ("Otetaan seuraava aihe.", "Sori, voinko hakea ensin vettä?"),
    ("Joo, hae vaan.", "Okei, takaisin, sori siitä."),
    ("Kuulostaako oikealta?", "Hmm, joo, sanoisin niin."),
    ("Taisi video kadota.", "Laitoin sen pois, ettei yhteys pätki."),
    ("Hei, kuuletko vielä?", "Joo, oon vielä mukana."),
    ("Ollaan puolivälissä.", "Ai, aika rientää."),
    ("Anna kun etsin kohdan.", "Olit kysymyksessä kuusi, luulisin."),
    ("Sori, puhuin päälle.", "Ei, ei, jatka sinä."),
    ("Odota, yhdistän uudelleen.", "Okei, mä pysyn linjalla."),
]
FI_FRESH_CLOSE = [
    ("Siinä se, ollaan valmiita.", "Jo nyt? Sepä meni nopeasti, kiitos."),
    ("Kiitos, tämä oli tosi kiinnostavaa.", "Kiitti, oli kiva jutella."),
    ("Saat yhteenvedon sähköpostilla.", "Hienoa, odotan innolla."),
    ("Mukavaa loppuviikkoa.", "Samoin, heippa."),
    ("Kiitos vielä ja näkemiin.", "Moi, ota rennosti."),
    ("Lopetan puhelun nyt.", "Kuulostaa hyvältä, nähdään."),
]
EN_FRESH_SHORT = ("In a few words, what frustrated you?", "And what pleased you?", [
    "The roaming charges.", "Late deliveries, mainly.", "Honestly, the contract length.", "Our broken router.",
    "Yeah, the queue on the phone.", "Confusing bills.",
    "The installer's attitude.", "Fast shipping.", "The discount, honestly.", "Clear email updates.",
    "Mm, the loyalty points.", "Simple cancellation.",
])
FI_FRESH_SHORT = ("Muutamalla sanalla, mikä turhautti?", "Entä mikä ilahdutti?", [
    "Verkkovierailumaksut.", "Myöhästyneet toimitukset lähinnä.", "Rehellisesti, sopimuksen pituus.",
    "Meidän rikkinäinen reititin.", "Joo, puhelinjono.", "Sekavat laskut.",
    "Asentajan asenne.", "Nopea toimitus.", "Alennus, ihan oikeasti.", "Selkeät sähköpostipäivitykset.",
    "Mm, kanta-asiakaspisteet.", "Yksinkertainen irtisanominen.",
])
FRESH = {"en": (EN_FRESH_OPEN, EN_FRESH_MIDDLE, EN_FRESH_CLOSE),
         "fi": (FI_FRESH_OPEN, FI_FRESH_MIDDLE, FI_FRESH_CLOSE)}

# Final: a fifth list, written after the fresh set's misses were looked at and before the classifier's rule was
# changed for them (a confident probability overrides the nearest example); never tuned on (`--talk final`).
EN_FINAL_OPEN = [
    ("Hi, nice to see you. Can you hear me all right?", "Hi, yes, all clear on my side."),
    ("How has your week been?", "Oh, hectic, as always, but I survived."),
    ("Are you okay with the recording?", "Yep, totally fine with that."),
    ("Good, then I'll start.", "Okay, I'm all ears."),
    ("Thanks for squeezing this in.", "No bother, glad it worked out."),
    ("Is the connection stable on your end?", "Seems stable, touch wood."),
]
EN_FINAL_MIDDLE = [
    ("Sorry, my screen went black.", "Oh no, take your time, I'll wait."),
    ("Mm.", "Yeah, yeah, exactly."),
    ("Uh-huh.", "So, um, yeah."),
    ("One moment, the door.", "Sure, no rush at all."),
    ("Okay, I'm back.", "Welcome back."),
    ("Could you hear that noise?", "No, I didn't hear anything."),
    ("Let me check the time.", "We still have twenty minutes, I think."),
    ("Sorry, I sneezed.", "Bless you."),
    ("Hmm, where did I put my list?", "Take a second, it's fine."),
    ("Okay, next.", "Right, go ahead."),
]
EN_FINAL_CLOSE = [
    ("That wraps it up, thanks a lot.", "Thank you, that was painless."),
    ("I'll let you go now.", "Thanks, have a lovely afternoon."),
    ("Thanks again for your help.", "Anytime, goodbye!"),
    ("Enjoy the rest of your day.", "Cheers, you too, bye."),
]
FI_FINAL_OPEN = [
    ("Moi, kiva nähdä. Kuuletko hyvin?", "Moi, joo, kaikki kuuluu selvästi."),
    ("Millainen viikko sulla on ollut?", "Voi, kiireinen kuten aina, mutta selvisin."),
    ("Sopiiko nauhoitus sinulle?", "Jep, ihan hyvin sopii."),
    ("Hyvä, sitten aloitan.", "Okei, mä kuuntelen."),
    ("Kiitos, että ehdit mukaan.", "Ei vaivaa, kiva että onnistui."),
    ("Onko yhteys vakaa sun päässä?", "Vaikuttaa vakaalta, koputetaan puuta."),
]
FI_FINAL_MIDDLE = [
    ("Sori, mun näyttö pimeni.", "Voi ei, ota rauhassa, mä odotan."),
    ("Mm.", "Joo, joo, just niin."),
    ("Mm-m.", "Eli, öö, joo."),
    ("Hetki, ovi.", "Joo, ei mitään kiirettä."),
    ("Okei, oon taas täällä.", "Tervetuloa takaisin."),
    ("Kuulitko tuon äänen?", "En, en kuullut mitään."),
    ("Katson vähän kelloa.", "Meillä on vielä kaksikymmentä minuuttia, luulisin."),
    ("Sori, aivastin.", "Terveydeksi."),
    ("Hmm, mihin mä laitoin mun listan?", "Ota hetki, ei se haittaa."),
    ("Okei, seuraava.", "Joo, anna mennä."),
]
FI_FINAL_CLOSE = [
    ("Siinä se, kiitos paljon.", "Kiitos, tämä oli kivuton."),
    ("Päästän sinut nyt.", "Kiitti, mukavaa iltapäivää."),
    ("Kiitos vielä avusta.", "Milloin vaan, näkemiin!"),
    ("Nauti lopusta päivästä.", "Kiitti, samoin, moi."),
]
EN_FINAL_SHORT = ("What was the biggest letdown, briefly?", "And the nicest surprise?", [
    "The activation fee.", "Dropped calls, mostly.", "Honestly, the paperwork.", "The slow website.",
    "Yeah, the missing refund.", "Surprise charges.",
    "The helpful driver.", "Free upgrades.", "The speed, honestly.", "Clear contract terms.",
    "Mm, the monthly summary.", "Quick repairs.",
])
FI_FINAL_SHORT = ("Mikä oli suurin pettymys, lyhyesti?", "Entä mukavin yllätys?", [
    "Avausmaksu.", "Katkeilevat puhelut lähinnä.", "Rehellisesti, paperityöt.", "Hidas nettisivu.",
    "Joo, puuttuva hyvitys.", "Yllätysmaksut.",
    "Avulias kuljettaja.", "Ilmaiset päivitykset.", "Nopeus, ihan oikeasti.", "Selkeät sopimusehdot.",
    "Mm, kuukausikooste.", "Nopeat korjaukset.",
])
FINAL = {"en": (EN_FINAL_OPEN, EN_FINAL_MIDDLE, EN_FINAL_CLOSE),
         "fi": (FI_FINAL_OPEN, FI_FINAL_MIDDLE, FI_FINAL_CLOSE)}

def _unseen_talk(lang: str, number: int, pools: dict | None = None) -> list:
    """Interview `number`'s talk from the unseen (or `pools`) pools: four openings, eight middles, two closings,
    rotated."""
    opening, middle, closing = (pools or UNSEEN)[lang]

    def take(pool: list, count: int) -> list:
        return [pool[(number * count + k) % len(pool)] for k in range(count)]

    return [*take(opening, 4), *take(middle, 8), *take(closing, 2)]


# One interview in French, to be named and set aside (neither Finnish nor English).
FRENCH = [
    ("Bonjour, merci d'être là. Comment s'est passée la facturation cette année ?",
     "Alors, pour moi le plus gros problème, c'est la facture. Elle arrive chaque mois en retard."),
    ("Et le service client ?", "Personne au service client ne répond au téléphone avant midi."),
    ("Et l'application mobile ?", "L'application fonctionne bien, mais la connexion échoue souvent le matin."),
    ("Comment s'est passée l'installation des compteurs ?",
     "Les installateurs sont arrivés à l'heure et ont tout nettoyé après leur travail."),
    ("Et le prix du contrat ?", "Le prix a augmenté en automne et on nous a prévenus deux semaines avant."),
    ("Merci beaucoup, bonne journée.", "Merci à vous, au revoir."),
]

EN_LABELS = [("Interviewer", "Interviewee"), ("interviewer", "interviewee"), ("INTERVIEWER", "RESPONDENT")]
FI_LABELS = [("Haastattelija", "Vastaaja"), ("haastattelija", "vastaaja"), ("H", "V")]
PER_FILE = 6  # files per language
TOPIC_ANSWERS = 2  # answers per topic per interview: 6 topics x 2 = 12 substantive turns


def _echo(question: str) -> str:
    """The question's last two words with its question mark, as a machine transcript leaves them."""
    words = question.rstrip("?").split()
    return " ".join(words[-2:]) + "?"


def _interview(number: int, lang: str, topics: dict, talk: list, labels: tuple[str, str], mixed: bool,
               short_answers: dict | None = None) -> tuple[list[str], list[dict]]:
    """The lines of one interview and the truth of its respondent turns."""
    ask, answer = labels
    head = f"Interview {number:02d}, Teams, 2026-10-{10 + number}" if lang == "en" else \
        f"Haastattelu {number:02d}, Teams, {10 + number}.10.2026"
    lines, truth = [head, ""], []

    def say(speaker: str, text: str, kind: str = "", echo: str = "") -> None:
        lines.append(f"{speaker}: {text}")
        if kind:
            truth.append({"line": len(lines), "kind": kind, "echo": echo})

    opening, closing, middle = talk[:4], talk[-2:], talk[4:-2]
    for question, reply in opening:
        say(ask, question)
        say(answer, reply, "talk")
    for index, (_, (question, answers)) in enumerate(sorted(topics.items())):
        for part in range(TOPIC_ANSWERS):
            text = answers[(number * TOPIC_ANSWERS + part) % len(answers)]
            follow = question if part == 0 else ("And anything else about that?" if lang == "en" else
                                                 "Entä muuta siihen liittyen?")
            speaker = ask.lower() if mixed and part == 1 else ask
            say(speaker, follow)
            echo = _echo(follow) if (number + index + part) % 4 == 0 else ""
            if echo and (number + index) % 3 == 0:  # the echo alone, then the interviewer repeats the question
                say(answer.lower() if mixed else answer, echo, "talk", echo)
                say(ask, follow)
                echo = ""
            say(answer.lower() if mixed and part == 1 else answer, f"{echo} {text}".strip(), "substance", echo)
            if (number + index + part) % 3 == 1:
                chat, reply = middle[(number + index + part) % len(middle)]
                say(ask, chat)
                say(answer, reply, "talk")
    worst, best, short = (short_answers or SHORT)[lang]
    for offset, question in enumerate((worst, best)):
        say(ask, question)
        say(answer, short[(2 * number + offset) % len(short)], "substance")
    for question, reply in closing:
        say(ask, question)
        say(answer, reply, "talk")
    return lines, truth


def _alternate(short: tuple[str, str, list[str]]) -> tuple[str, str, list[str]]:
    """The answers as worst, best, worst, best...: the first half are the worst parts, the second the best."""
    worst, best, answers = short
    half = len(answers) // 2
    return worst, best, [a for pair in zip(answers[:half], answers[half:], strict=True) for a in pair]


SHORT = {"en": _alternate(EN_SHORT), "fi": _alternate(FI_SHORT)}


SHORT_UNSEEN = {"en": _alternate(EN_UNSEEN_SHORT), "fi": _alternate(FI_UNSEEN_SHORT)}
SHORT_FRESH = {"en": _alternate(EN_FRESH_SHORT), "fi": _alternate(FI_FRESH_SHORT)}
SHORT_FINAL = {"en": _alternate(EN_FINAL_SHORT), "fi": _alternate(FI_FINAL_SHORT)}
TALK_SETS = ("tuned", "held-out", "unseen", "fresh", "final")
POOLS = {"unseen": UNSEEN, "fresh": FRESH, "final": FINAL}


def write_set(folder: Path, held_out: bool = False, talk: str = "") -> pd.DataFrame:
    """The thirteen interviews written into `folder` with the small talk `talk` of TALK_SETS (default "held-out"
    when `held_out`, else "tuned"; "unseen", "fresh" and "final" also swap the short substantive answers); the
    truth of every respondent turn."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    talk = talk or ("held-out" if held_out else "tuned")
    en_talk, fi_talk = (EN_TALK_HELD_OUT, FI_TALK_HELD_OUT) if talk == "held-out" else (EN_TALK, FI_TALK)
    short = {"unseen": SHORT_UNSEEN, "fresh": SHORT_FRESH, "final": SHORT_FINAL}.get(talk, SHORT)
    for lang, topics, talk_list, labels, stem in (("en", EN_TOPICS, en_talk, EN_LABELS, "interview"),
                                                  ("fi", FI_TOPICS, fi_talk, FI_LABELS, "haastattelu")):
        for number in range(1, PER_FILE + 1):
            style = labels[number % len(labels)]
            spoken = _unseen_talk(lang, number, POOLS[talk]) if talk in POOLS else talk_list
            lines, truth = _interview(number, lang, topics, spoken, style, mixed=number == PER_FILE,
                                      short_answers=short)
            name = f"{stem}_{number:02d}.txt"
            (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            rows.extend({"file": name, "lang": lang, **row} for row in truth)
    lines = ["Entretien 13, Teams, 2026-10-23", ""]
    for question, reply in FRENCH:
        lines.append(f"Interviewer: {question}")
        lines.append(f"Interviewee: {reply}")
        rows.append({"file": "entretien_13.txt", "lang": "fr", "line": len(lines), "kind": "other", "echo": ""})
    (folder / "entretien_13.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return pd.DataFrame(rows)
