"""Generate the bundled sample study's open-feedback survey export.

Writes ``corpora/sample/avoin_palaute.csv``: 320 answers to Lumivaara Oy's customer
survey (fictional company), about 60 % in Finnish and 40 % in English, with an NPS score
and one open-text answer per respondent.

The answers are assembled deterministically (fixed seed) from hand-written pools of
phrasings. Each pool speaks about exactly one planted issue of the sample study
(see ``corpora/sample/ANSWER.md``); a row mentions one planted issue, two of them, or
none (non-answers and neutral/other comments). After writing, the script prints how many
rows mention each planted issue per language and asserts the planned counts.

Usage: python scripts/make_sample_feedback.py [output.csv]
Standard library only (Python 3.11).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections import Counter
from pathlib import Path

SEED = 20261115
OUT_PATH = Path(__file__).resolve().parent.parent / "corpora" / "sample" / "avoin_palaute.csv"
HEADER = [
    "Vastaajan tunnus",
    "Päivämäärä",
    "Suositteluhalukkuus (0-10)",
    "Avoin palaute",
]
N_ROWS = 320
FIRST_DAY = dt.date(2026, 10, 1)
LAST_DAY = dt.date(2026, 11, 15)
LANGS = ("fi", "en")
ISSUES = ("F1", "F2", "F3", "F4", "F5", "F6", "S1", "S2", "S3", "S4")

# Respondents (rows) that mention each planted issue, per language.
TARGET = {
    "F1": {"fi": 27, "en": 18},
    "F2": {"fi": 24, "en": 16},
    "F3": {"fi": 21, "en": 14},
    "F4": {"fi": 3, "en": 2},
    "F5": {"fi": 2, "en": 1},
    "F6": {"fi": 11, "en": 7},
    "S1": {"fi": 21, "en": 14},
    "S2": {"fi": 12, "en": 8},
    "S3": {"fi": 6, "en": 4},
    "S4": {"fi": 9, "en": 6},
}
# Rows that mention two planted issues.
DOUBLES = {
    "fi": [
        ("F1", "F2"),
        ("F1", "F3"),
        ("F2", "F3"),
        ("F3", "F6"),
        ("F1", "S1"),
        ("F2", "S2"),
        ("F6", "S4"),
    ],
    "en": [
        ("F1", "F2"),
        ("F1", "S1"),
        ("F2", "S2"),
        ("F3", "S2"),
        ("F6", "S4"),
    ],
}
ROWS_PER_LANG = {"fi": 192, "en": 128}

# ---------------------------------------------------------------------------
# Phrasing pools. Every sentence in POOLS[issue][lang] clearly states that issue and
# no other planted issue.
# ---------------------------------------------------------------------------
POOLS: dict[str, dict[str, list[str]]] = {
    # F1 sales promises not delivered (Contract)
    "F1": {
        "fi": [
            "Myyjä lupasi, että integraatio Netvisoriin on valmis, kun aloitamme. "
            "Vielä puolen vuoden jälkeenkin siirrämme tietoja käsin.",
            "Kaupantekovaiheessa luvattiin reittioptimointi, jota ei sitten ollutkaan olemassa.",
            "Myynnissä luvattiin paljon enemmän kuin mitä lopulta saimme.",
            "Meille luvattiin tuotantoon siirtyminen syyskuun alkuun, todellisuudessa "
            "päästiin liikkeelle vasta marraskuussa.",
            "Sopimusta tehdessä myyjä vakuutti, että Procountor-liittymä toimii valmiina. "
            "Ei toiminut, ja siitä on nyt kulunut 8 kuukautta.",
            "Lupaukset ja todellisuus eivät kohdanneet. Myyjän esittelemää raportointinäkymää ei ole vieläkään tullut.",
            "Myyjät lupaavat mitä tahansa saadakseen kaupan kiinni.",
            'Meille luvattiin ERP-integraatio "parin viikon työnä". Nyt on mennyt neljä '
            "kuukautta eikä se vieläkään toimi.",
            "Harmittaa, että myyntivaiheessa puhuttiin ominaisuuksista, joita tuotteessa ei ole.",
            "Reittisuunnittelu oli meille koko hankinnan tärkein syy, ja myyjä lupasi sen "
            "olevan valmis keväällä. Ei ole vieläkään.",
            "Sopimukseen kirjattu aikataulu ei pitänyt, vaikka myynti vakuutti toisin.",
            "Luvattu rajapinta kirjanpitoon puuttuu edelleen.",
            "Myynnin lupaama Visma-integraatio toimi vain osittain, joten teemme tuplatyötä.",
            "Myyjä sanoi, että varaosavarasto on mukana vakiona. Sitten selvisi, että se on vasta kehityslistalla.",
            "Myyntipuheet olivat hienoja, mutta puolet luvatuista asioista puuttui toimitushetkellä.",
            "Meille luvattiin tuntikirjausten siirto suoraan palkanlaskentaan. Sitä ei ole.",
            "Kaupanteossa luvattu go-live-päivä siirtyi kolme kertaa.",
            "Olisin toivonut rehellisyyttä myyntivaiheessa. Luvattu integraatio "
            "huoltopyyntöjärjestelmäämme ei ole koskaan toiminut.",
            'Myyjä lupasi reittioptimoinnin "ensi versioon". Versioita on tullut kolme, optimointia ei.',
            "Luvatut ominaisuudet jäivät lupauksiksi.",
            "Sopimusneuvotteluissa myyjä vakuutti, että järjestelmä taipuu meidän vuorolistoihin. Ei taivu.",
            "Myynnin ja toimituksen välillä on iso kuilu. Myyjä lupasi asioita, joista "
            "toimituksessa ei tiedetty mitään.",
            "Integraatio taloushallintoon piti olla valmis heti alussa, niin meille ainakin "
            "luvattiin. Odotimme sitä viisi kuukautta.",
            "Kaupan yhteydessä luvattiin, että raportit menevät suoraan asiakkaan portaaliin. "
            "Tätä ominaisuutta ei ollut olemassakaan.",
            "Myyjä lupasi, että kaikki toimii ensimmäisestä päivästä. Todellisuudessa iso osa "
            "luvatusta puuttui ja pääsimme liikkeelle kaksi kuukautta myöhässä.",
            "Myyntivaiheen lupaukset integraatiosta osoittautuivat tyhjiksi.",
            "Huonoin kokemus oli se, ettei myynnin lupaamaa reittioptimointia ollutkaan. "
            "Ostimme tuotteen osittain sen takia.",
            "Myyjä kehui, että SAP-liittymä on vakio-ominaisuus. Lopulta siitä tuli erillinen maksullinen projekti.",
        ],
        "en": [
            "The salesperson promised an integration with our accounting system that simply "
            "did not exist when we went live.",
            "We were promised route optimisation in the sales meeting. It's still "
            '"on the roadmap" eight months later.',
            "Sales overpromised. Half of what was pitched to us wasn't in the product.",
            "We were told go-live would be in August. It ended up being November.",
            "The Netvisor integration we were sold on doesn't work properly, so our office "
            "still retypes every work order.",
            "Big gap between what the sales rep promised and what was delivered.",
            "Honestly the sales process was misleading. The ERP connector they promised "
            "turned out to be a custom project.",
            "They promised us a working API to our customer portal before signing. Never happened.",
            "The features we were promised during the contract negotiations are still missing.",
            "Our sales contact said route planning was included. It wasn't, and nobody at "
            "Lumivaara seemed to know about that promise.",
            "Be careful with what sales promises you. Get it in writing and even then check it.",
            "We signed because of the promised Procountor integration. It took 6 months to get something half-working.",
            "Promised timelines were not met at all.",
            "The sales guy promised that hours would go straight to payroll. We're still "
            "exporting Excel files by hand.",
            "What we were sold and what we got are two different products.",
            "The delivery didn't match the promises made before signing, especially around the integrations.",
            "I was promised a go-live date in writing and it slipped by 10 weeks.",
            "Sales told us the SAP connection was standard. It was not.",
            "The promised reporting dashboard from the demo didn't exist in our version.",
            "Too many promises from sales that product and delivery couldn't keep.",
        ],
    },
    # F2 invoices are wrong (Customership)
    "F2": {
        "fi": [
            "Laskut ovat jatkuvasti väärin. Joka kuukausi joudumme tarkistamaan rivit itse.",
            "Meitä laskutettiin kahteen kertaan samasta kuukaudesta.",
            "Irtisanoimme viisi lisenssiä keväällä, mutta niitä laskutetaan edelleen.",
            "Hyvityslaskua on odotettu kolme kuukautta.",
            "Laskun summa ei vastaa sopimusta. Sopimuksessa 39 €/käyttäjä, laskulla 45 €.",
            "Laskutus on sekavaa ja virheellistä.",
            "Saimme tuplalaskun syyskuulta, ja sen selvittely vei viikkoja.",
            "Laskuissa on ollut virheitä lähes joka kuukausi ensimmäisen vuoden ajan.",
            "Laskulla oli lisenssejä 14 käyttäjälle, vaikka meillä on 9.",
            "Virheellisiä laskuja on tullut useampi, ja hyvitykset tulevat kuukausien viiveellä.",
            "Laskutus ei noudata sopimusta, esimerkiksi alennus puuttui kolmelta ensimmäiseltä laskulta.",
            "Talousosasto käyttää liikaa aikaa Lumivaaran laskujen oikaisemiseen.",
            "Kun lopetimme mobiilin lisäpaketin, sitä laskutettiin vielä puoli vuotta.",
            "Laskuissa on ollut veloituksia, joista ei ole sovittu mitään.",
            "Meiltä veloitettiin aloituspaketti, jonka piti sisältyä sopimukseen.",
            "Laskutuksessa on kaaos. Samalle kuulle tuli kaksi laskua eri summilla.",
            "Hyvitykset kestävät ihan liian kauan. Viimeisin 1 200 euron hyvitys tuli vasta neljän kuukauden päästä.",
            "Laskut eivät täsmää sopimukseen, ja joka kerta pitää erikseen reklamoida.",
            "Laskutetaan käyttäjistä, jotka on poistettu järjestelmästä jo kesällä.",
            "Lasku tuli 2 300 euroa liian suurena, eikä kukaan osannut selittää miksi.",
            "Emme ole saaneet yhtään oikeaa laskua ilman korjauskierrosta.",
            "Laskujen kanssa on ollut jatkuvasti säätöä. Viitteet väärin, summat väärin.",
            "Irtisanotuista lisensseistä veloitettiin vielä kahdelta kuukaudelta.",
            "Laskutusvirheet syövät luottamusta. Joudumme tarkistamaan jokaisen laskun rivi riviltä.",
            "Kuukausilaskussa on ollut ylimääräisiä rivejä, joita kukaan ei ole tilannut.",
            "Tuplalaskutus keväällä ja hyvityslasku vasta syksyllä. Ei hyvä.",
        ],
        "en": [
            "Our invoices are wrong more often than they are right.",
            "We were billed twice for September.",
            "We cancelled 6 licences in March and were still billed for them in June.",
            "Waiting over three months for a credit note is not acceptable.",
            "The invoice doesn't match the contract: we agreed on 39 € per user and get billed 45 €.",
            "Billing is a mess.",
            "Invoicing errors almost every month. Our finance team is fed up.",
            "Double billing in the spring, and it took ages to get it sorted out.",
            "We keep getting invoiced for users we removed months ago.",
            "The agreed discount was missing from the first three invoices.",
            "Credit notes take forever. We're still waiting for one from July.",
            "There were charges on the invoice nobody could explain, about 800 euros extra.",
            "Every invoice needs to be checked line by line because of recurring billing mistakes.",
            "Please fix the invoicing. Wrong amounts, wrong reference numbers, duplicate invoices.",
            "We were overcharged for two quarters before anyone spotted it.",
            "Invoices don't follow the contract, and getting them corrected is a slow process.",
            "Licences billed after cancellation, again.",
            "The billing errors are the main reason my CFO wants to look at other vendors.",
        ],
    },
    # F3 support is slow (Customership)
    "F3": {
        "fi": [
            "Tuki on todella hidas. Tiketteihin vastataan päivien päästä.",
            "Tukipyyntöön vastattiin vasta kahden viikon päästä.",
            "Puhelinjonossa saa odottaa puoli tuntia.",
            "Kukaan ei soita takaisin, vaikka takaisinsoiton pitäisi tulla samana päivänä.",
            "Tiketti suljettiin, vaikka vikaa ei ollut korjattu.",
            "Kun asentajien työ seisoo, tuen pitäisi reagoida tunneissa, ei päivissä.",
            "Tukeen on vaikea saada yhteyttä.",
            "Asiakastuen vasteajat ovat venyneet selvästi viimeisen vuoden aikana.",
            "Meillä on ollut sama tiketti auki kuusi viikkoa.",
            "Tuesta vastataan hitaasti ja vastaukset ovat usein ympäripyöreitä.",
            "Tukipalvelu on aliresursoitu. Kiireellisiinkin vikoihin vastaus tulee seuraavana päivänä.",
            "Tikettejä suljetaan ilman ratkaisua, ja sitten aloitetaan alusta.",
            "Soitin tukeen kolme kertaa samasta asiasta, eikä kukaan palannut asiaan.",
            "Tuen hitaus on suurin ongelma meille.",
            "Kirjoitin tukipyynnön maanantaina, vastaus tuli perjantaina.",
            "Asiakastuki ei vastaa sähköposteihin. Puhelimessakin jonot ovat pitkiä.",
            "Tukipyynnöt hukkuvat jonnekin. Joudumme muistuttelemaan useita kertoja.",
            "Vikailmoituksiin reagoidaan tuessa liian hitaasti.",
            "Tuesta sanotaan, että palataan asiaan, mutta ei palata.",
            "Tiketti oli jonossa 9 päivää ennen kuin kukaan edes katsoi sitä.",
            "Tuki vastaa kyllä ystävällisesti, mutta ratkaisu kestää viikkoja.",
            "Viikonloppuisin tukea ei saa ollenkaan, ja maanantaina jono on valtava.",
        ],
        "en": [
            "Support is painfully slow. Tickets sit for days.",
            "It took two weeks to get a reply to a support ticket.",
            "The phone queue is ridiculous, 30+ minutes most times.",
            "Nobody from support calls back even when they say they will.",
            "Tickets get closed without the problem being fixed.",
            "When our technicians can't work, we need support in hours, not days.",
            "Support response times have gotten worse over the past year.",
            "Had a ticket open for five weeks.",
            "Customer support is understaffed, that much is obvious.",
            "I've emailed support three times about the same bug. No answer.",
            "Slow support is our biggest frustration.",
            "Support ticket answered after 8 days with a generic reply.",
            "You have to chase the helpdesk to get anything done.",
            "Support people are nice but fixing anything takes weeks.",
            "We waited in the support queue for 45 minutes and then the call dropped.",
            'Support closed our ticket as "resolved" although nothing had been done.',
        ],
    },
    # F4 pricing unclear before buying (Consideration)
    "F4": {
        "fi": [
            "Hintoja ei löytynyt verkkosivuilta, mikä hankaloitti vertailua.",
            "Hinnaston saaminen oli yllättävän vaikeaa. Piti sopia kaksi palaveria ennen kuin "
            "saimme edes suuruusluokan.",
            "Hinnoittelu oli epäselvää ennen ostopäätöstä.",
            "Kun vertailimme toimittajia, Lumivaaran hinnat olivat ainoat, joita ei saanut selville ilman tapaamista.",
            "Olisi ollut kiva nähdä hinnat netissä. Nyt jouduimme kyselemään.",
            "Eri pakettien hintoja oli vaikea verrata keskenään ennen ostoa.",
            "Hinnoittelumalli oli vaikea ymmärtää ennen sopimusta: moduulit, käyttäjät, asennukset...",
            "Julkinen hinnasto puuttuu, ja se on iso miinus hankintavaiheessa.",
            "Kesti kolme viikkoa saada edes alustava hintatieto.",
            "Hintojen selvittäminen vertailuvaiheessa vaati turhan paljon työtä.",
            "Hintatiedot olisi pitänyt saada nopeammin jo vertailuvaiheessa.",
            "Verkkosivuilla ei ollut mitään tietoa hinnoista.",
            "Ennen ostoa hinnoittelu oli musta laatikko.",
            'Vaihtoehtojen hintoja ei voinut vertailla, koska kaikki oli "pyydä tarjous".',
            "Pidän huonona, ettei hinnoista kerrota avoimesti ennen kuin on jo syvällä neuvotteluissa.",
        ],
        "en": [
            "No prices on the website made it hard to compare vendors.",
            "Getting a price list took way too long when we were shortlisting.",
            "Pricing was unclear before we bought.",
            "When we compared vendors, Lumivaara was the only one that wouldn't share prices up front.",
            "It would be nice to see pricing online instead of having to ask.",
            "Hard to compare the different packages, the pricing wasn't transparent.",
            "The pricing model was confusing during the evaluation: modules, users, set-up fees...",
            "No public price list, which is a big minus when you're shortlisting.",
            "It took three weeks just to get a ballpark price.",
            "Finding out the prices before buying was more work than it should be.",
            "Pricing information should be available without booking a meeting.",
            "The website says nothing about prices.",
            "Before buying, the pricing was a black box.",
            'Couldn\'t compare options because everything was "ask for a quote".',
            "I don't like that prices are only revealed once you're deep in negotiations.",
        ],
    },
    # F5 contract renewed automatically without notice (Engagement)
    "F5": {
        "fi": [
            "Sopimus uusiutui automaattisesti vuodeksi eteenpäin, eikä siitä ilmoitettu etukäteen.",
            "Sopimus jatkui automaattisesti 8 % korotetulla hinnalla ilman mitään ilmoitusta.",
            "Automaattinen jatko tuli yllätyksenä. Olisimme halunneet neuvotella ehdot uudelleen.",
            "Kukaan ei muistuttanut irtisanomisajasta, ja sopimus jatkui vuodella.",
            "Sopimuksen automaattinen uusiminen hinnankorotuksella ilman varoitusta tuntui epäreilulta.",
            "Huomasimme vasta jälkikäteen, että sopimus oli uusittu automaattisesti toiseksi vuodeksi.",
            "Sopimus jatkui itsestään, ja uusi kuukausimaksu oli 12 % korkeampi. Ilmoitusta ei tullut.",
            "Sopimuksen automaattinen uusiutuminen ilman etukäteisilmoitusta ei ole asiakasystävällistä.",
            "Jatkokausi alkoi automaattisesti, emmekä ehtineet irtisanoa sopimusta.",
            "Sopimus uusittiin automaattisesti, ja vasta seuraava kuukausimaksu kertoi siitä.",
            "Sopimuksen jatkumisesta olisi pitänyt ilmoittaa hyvissä ajoin.",
            "Meitä ei varoitettu, että sopimus jatkuu automaattisesti.",
            "Vuoden jatko tuli automaattisesti ja hinnankorotus päälle, eikä kukaan kertonut etukäteen.",
            "Sopimuksen automaattinen jatkaminen ilman mitään muistutusta oli ikävä yllätys.",
            "Sopimuksen uusiutumisesta pitäisi tulla ilmoitus vähintään kolme kuukautta ennen.",
        ],
        "en": [
            "The contract renewed automatically for another year without any notice.",
            "Auto-renewal with an 8% increase and nobody said a word.",
            "We were automatically renewed and only found out when the money left our account.",
            "No reminder about the notice period, so the contract renewed for another year.",
            "Automatic renewal at a higher rate without warning felt unfair.",
            "We realised afterwards that the contract had rolled over for a second year.",
            "The agreement just rolled over with a 12% higher fee. No heads-up.",
            "Auto-renewing the contract without advance notice isn't customer friendly.",
            "The new contract term started automatically before we had a chance to cancel.",
            "You should tell customers well in advance that the contract is about to renew.",
            "Nobody warned us that the contract renews automatically.",
            "Another contract year plus a fee hike, automatically, with zero communication.",
            "An auto-renewal with no reminder was a nasty surprise.",
            "There should be a notice at least three months before the contract renewal.",
            "Our contract was extended automatically even though we had planned to re-tender.",
        ],
    },
    # F6 mobile app offline sync problems (Customership)
    "F6": {
        "fi": [
            "Mobiilisovellus ei synkronoi kellareissa, ja asentajien merkinnät katoavat.",
            "Offline-tila ei toimi. Jos kohteessa ei ole verkkoa, tiedot häviävät.",
            "Sovellus kaatuu, kun yhteys katkeaa, ja tehty työ pitää kirjata uudelleen.",
            "Asentajamme työskentelevät paljon kellareissa ja konehuoneissa. Siellä sovellus ei tallenna mitään.",
            "Synkronointi on epäluotettavaa. Viime viikolla katosi kolmen asentajan päivän kirjaukset.",
            "Mobiilissa kuvat ja allekirjoitukset häviävät, jos verkkoyhteys pätkii.",
            "Sovelluksen pitäisi toimia myös ilman verkkoa. Nyt ei toimi.",
            "Katvealueilla sovellus jumittuu eikä synkronoi jälkikäteenkään.",
            "Asentajat kirjoittavat nykyään varmuuden vuoksi tiedot paperille, koska sovellus "
            "kadottaa niitä kellareissa.",
            "Synkronointiongelmat mobiilisovelluksessa aiheuttavat jatkuvasti puuttuvia työtunteja.",
            "Sovellus kaatuilee, ja tiedot eivät siirry, kun kuuluvuus on huono.",
            "Offline-kirjaukset eivät synkronoidu, kun yhteys palaa. Data on vain poissa.",
            "Väestönsuojissa ja kellareissa mobiili on käyttökelvoton, koska mikään ei tallennu ilman yhteyttä.",
            "Mobiilisovellus kaatui kesken työmääräyksen kuittauksen, ja kaikki merkinnät katosivat.",
            "Huonon verkon alueilla sovellus ei synkkaa, eikä esimies näe töiden tilaa.",
            "Asentajat ovat menettäneet kirjauksia, koska sovellus ei synkronoi ilman verkkoa.",
        ],
        "en": [
            "The mobile app doesn't sync in basements and our technicians lose their notes.",
            "Offline mode doesn't work. No network = lost data.",
            "App crashes when the connection drops and the work has to be re-entered.",
            "Our guys work in basements and plant rooms all day. The app loses stuff there constantly.",
            "Sync is unreliable. Last week we lost a whole day of entries from three technicians.",
            "Photos and signatures disappear if the signal is weak.",
            "The app should work without network. It doesn't, and entries go missing.",
            "In areas with poor coverage the app freezes and never syncs afterwards.",
            "Technicians have gone back to writing things on paper because the app loses data underground.",
            "Sync issues in the mobile app mean we're missing hours every week.",
            "The app keeps crashing in places with bad reception.",
            "Offline entries don't sync when the connection comes back, they're just gone.",
            "In shelters and basements the mobile app is useless, nothing gets saved.",
            "The mobile app crashed in the middle of closing a work order and everything was lost.",
            "Data loss in the technician app when offline, several times a month.",
        ],
    },
    # S1 onboarding and training were good (Customership)
    "S1": {
        "fi": [
            "Käyttöönotto meni hienosti, ja kouluttaja Sanna oli todella hyvä.",
            "Koulutukset olivat hyvin järjestettyjä, ja asentajat oppivat järjestelmän nopeasti.",
            "Käyttöönottoprojekti pysyi aikataulussa ja kaikki tiesivät, mitä tehdä.",
            "Perehdytys oli erinomainen. Kouluttaja osasi puhua asentajien kieltä.",
            "Sanna Lehdon pitämät koulutukset saivat kiitosta koko porukalta.",
            "Aloitusvaiheen koulutus oli käytännönläheistä ja hyvin rytmitettyä.",
            "Hyvin hoidettu käyttöönotto. Kolmessa viikossa kaikki 25 asentajaa käyttivät sovellusta.",
            "Koulutusmateriaalit ja videot olivat tosi hyviä, niihin palataan edelleen.",
            "Käyttöönottotiimi teki hyvää työtä, ja siirto vanhasta järjestelmästä onnistui kivuttomasti.",
            "Kouluttaja jaksoi vastata vanhempienkin asentajien kysymyksiin kärsivällisesti.",
            "Koulutus pidettiin meidän omissa tiloissa, mikä oli hyvä ratkaisu. Väki oppi nopeasti.",
            "Käyttöönoton projektipäällikkö piti langat käsissä alusta loppuun.",
            "Perehdytys toimistolle ja kentälle oli erikseen, ja se toimi hyvin.",
            "Parasta oli käyttöönottovaihe: tarkka suunnitelma ja hyvät koulutukset.",
            "Koulutukset oli räätälöity meidän toimialalle, iso plussa.",
            "Henkilöstö oppi järjestelmän käytön nopeasti hyvän koulutuksen ansiosta.",
            "Käyttöönotto sujui paremmin kuin odotimme.",
            "Kouluttajalle iso kiitos, tosi ammattitaitoinen ja mukava.",
            "Onnistunut käyttöönottoprojekti. Pääkäyttäjäkoulutus oli erityisen hyödyllinen.",
            "Koulutuspäivät olivat tehokkaita eikä aikaa mennyt hukkaan.",
            "Käyttöönoton aikana meitä opastettiin hyvin, ja esimiehet oppivat vuorosuunnittelun parissa päivässä.",
            "Aloituskoulutus oli yksi parhaista, joita olemme saaneet mistään ohjelmistosta.",
        ],
        "en": [
            "Onboarding was excellent and our trainer Sanna was great.",
            "The training sessions were well organised and our technicians picked it up fast.",
            "The implementation project stayed on schedule, really well run.",
            "Great training. The trainer spoke the technicians' language.",
            "Sanna Lehto's training got praise from the whole team.",
            "Onboarding was smooth: in three weeks all 18 technicians were using the system.",
            "The training videos and materials are excellent, we still go back to them.",
            "The implementation team did a good job and the migration from our old system was painless.",
            "Our trainer was patient with the older technicians, much appreciated.",
            "Training was held at our own office, which worked really well. People learned fast.",
            "The onboarding project manager kept everything under control from start to finish.",
            "Separate training for the office and the field staff was a smart move.",
            "Best part was the onboarding: a solid plan and good training.",
            "The training was tailored to our industry. Big plus.",
            "Staff learned the system quickly thanks to good training.",
            "Admin training for our key users was particularly useful.",
        ],
    },
    # S2 account manager is helpful (Engagement)
    "S2": {
        "fi": [
            "Asiakkuuspäällikkö Jari Mäkinen on loistava. Vastaa aina nopeasti ja tuntee meidän toimintamme.",
            "Asiakkuuspäällikkömme on ystävällinen ja reagoi nopeasti.",
            "Asiakkuuspäällikkö Jari tuntee meidän bisneksen ja osaa ehdottaa järkeviä asioita.",
            "Meidän yhteyshenkilö Lumivaaralla, asiakkuuspäällikkö, on aivan huippu.",
            "Asiakkuuspäällikkö käy meillä kvartaaleittain ja oikeasti kuuntelee.",
            "Oma asiakkuuspäällikkö on suurin syy, miksi jatkamme yhteistyötä.",
            "Asiakkuuspäällikkö hoitaa asiat, kun niihin tarvitaan ratkaisua. Iso kiitos hänelle.",
            "Jari Mäkinen vastaa puhelimeen aina ja hoitaa asiat kuntoon.",
            "Asiakasvastaavamme on perehtynyt kiinteistöhuollon arkeen, mikä näkyy.",
            "Hyvä ja ystävällinen asiakkuuspäällikkö, joka pitää yhteyttä oma-aloitteisesti.",
            "Asiakkuuspäällikön kanssa asiointi on mutkatonta ja mukavaa.",
            "Asiakkuuspäällikkö ymmärtää meidän toimialan ja vastaa sähköposteihin saman päivän aikana.",
            "Jarin kanssa on mukava tehdä yhteistyötä, hän tietää mitä me tarvitsemme.",
            "Asiakkuuspäällikkö on reagoinut jokaiseen yhteydenottoon parissa tunnissa.",
            "Asiakkuuspäällikön vaihduttua yhteistyö parani selvästi. Uusi tyyppi tuntee alan.",
            "Asiakkuuspäällikkömme Jari on ollut korvaamaton, aina tavoitettavissa.",
        ],
        "en": [
            "Our account manager Jari Mäkinen is excellent, always responsive and knows our business.",
            "Friendly and responsive account manager.",
            "Jari, our account manager, understands our business and makes sensible suggestions.",
            "Our account manager at Lumivaara is top notch.",
            "The account manager visits us every quarter and actually listens.",
            "Our account manager is the main reason we're staying.",
            "The account manager gets things sorted when we need a decision.",
            "Jari Mäkinen always picks up the phone and gets things done.",
            "Our account manager knows the property maintenance business inside out.",
            "Good, friendly account manager who keeps in touch proactively.",
            "Dealing with our account manager is always pleasant.",
            "The account manager knows our industry and answers emails the same day.",
            "Jari is great to work with, he knows what we need.",
            "Our key account manager replies to everything within a couple of hours.",
            "After the account manager changed, the cooperation improved a lot. The new one knows the field.",
        ],
    },
    # S3 heard of Lumivaara through a peer recommendation or a trade fair (Awareness)
    "S3": {
        "fi": [
            "Kuulimme Lumivaarasta yhteistyökumppanilta, joka suositteli sitä lämpimästi.",
            "Löysimme Lumivaaran Kiinteistöalan messuilta.",
            "Toinen huoltoyhtiö suositteli meille Lumivaaraa, ja siksi lähdimme selvittämään.",
            "Tutustuimme Lumivaaraan messuilla Helsingissä. Osasto oli hyvä ja siellä oli asiantuntevaa väkeä.",
            "Tuttu toimitusjohtaja alalta suositteli, ja se oli hyvä vinkki.",
            "Ensimmäinen kosketus Lumivaaraan oli messuilla, ja siitä se lähti.",
            "Kollegan suosituksesta päädyimme kokeilemaan.",
            "Lumivaara tuli tutuksi alan messuilla. Esittely teki vaikutuksen.",
            "Saimme vinkin Lumivaarasta toiselta sähköurakoitsijalta.",
            "Kiinteistöalan messut olivat meille hyvä paikka löytää Lumivaara.",
            "Suositus tuli tutulta LVI-yritykseltä, ja se piti paikkansa.",
            "Lumivaara löytyi verkostomme kautta, eli joku tuttu kehui sitä.",
            "Messuilla näimme ensimmäisen kerran, miten järjestelmä toimii.",
            "Meille suositeltiin Lumivaaraa yrittäjäyhdistyksen tapaamisessa.",
            "Kuulimme Lumivaarasta alan kollegoilta ja päätimme ottaa yhteyttä.",
        ],
        "en": [
            "We heard about Lumivaara from a partner company that recommended it.",
            "Found Lumivaara at a property maintenance trade fair.",
            "Another maintenance company recommended Lumivaara to us.",
            "We met Lumivaara at a trade fair in Helsinki. Good stand, knowledgeable people.",
            "A CEO I know from the industry recommended it, and that was a good tip.",
            "First contact was at a trade show and it went from there.",
            "We tried it on a colleague's recommendation.",
            "Got to know Lumivaara at an industry expo. The presentation convinced us.",
            "An electrical contractor we work with tipped us off about Lumivaara.",
            "The Kiinteistöalan messut fair was where we first came across Lumivaara.",
            "Recommendation from a HVAC company we know, and it was spot on.",
            "Lumivaara came to us through our network, someone we trust spoke highly of it.",
            "We first saw the system in action at a trade fair.",
            "It was recommended to us at a local business association meeting.",
            "Heard about Lumivaara from peers in the industry and decided to get in touch.",
        ],
    },
    # S4 the product/app is easy to use (Customership)
    "S4": {
        "fi": [
            "Järjestelmä on helppokäyttöinen myös kiireessä.",
            "Mobiilisovellus on tosi helppo käyttää.",
            "Käyttöliittymä on selkeä ja looginen.",
            "Helppo ja yksinkertainen ohjelma, ei turhia hienouksia.",
            "Työmääräysten tekeminen on nopeaa ja helppoa.",
            "Sovellus on niin selkeä, että vanhemmatkin asentajat käyttävät sitä mielellään.",
            "Käytettävyys on erinomainen.",
            "Helppokäyttöisyys on Kentän paras puoli.",
            "Intuitiivinen käyttöliittymä, ohjeita tarvitaan harvoin.",
            "Aikataulutus on helppoa raahaamalla töitä kalenterissa.",
            "Selkeä ja helppo työkalu päivittäiseen käyttöön.",
            "Asentajat pitävät sovelluksesta, koska se on yksinkertainen käyttää.",
            "Ohjelmisto on käyttäjäystävällinen, vaikka toimintoja on paljon.",
            "Toimistolla järjestelmää on helppo käyttää ilman erityistä osaamista.",
            "Kuittaus mobiilissa on vaivatonta: muutama napautus ja valmis.",
        ],
        "en": [
            "The system is easy to use, even in a hurry on site.",
            "The mobile app is really easy to use.",
            "The user interface is intuitive and logical.",
            "Simple and easy, no unnecessary bells and whistles.",
            "Creating work orders is quick and easy.",
            "The app is so straightforward that even our older technicians like using it.",
            "Usability is excellent.",
            "Ease of use is the best thing about Kenttä.",
            "Intuitive UI, we rarely need instructions.",
            "Scheduling is easy, just drag and drop jobs in the calendar.",
            "A simple tool for everyday work that just works.",
            "Techs like the app because it's simple to use.",
            "User-friendly software even though there are a lot of features.",
            "At the office anyone can use it without special skills, it's that easy.",
            "Closing a job on the mobile is effortless: a few taps and done.",
        ],
    },
}

# Non-answers (no content at all).
NON_ANSWERS = {
    "fi": [
        "-",
        "ei kommentteja",
        "en osaa sanoa",
        "Ei mitään lisättävää",
        ".",
        "ok",
        "Ei",
        "eos",
        "Ei ole",
        "--",
        "Ei kommentoitavaa",
        "Ei tällä kertaa",
        "Ei mitään erityistä",
        "Kaikki sanottu jo",
        "Ei erityistä sanottavaa",
    ],
    "en": [
        "n/a",
        "no comments",
        "nothing to add",
        "none",
        "No comment",
        "nothing special",
        "...",
        "nope",
        "Nothing at this time",
        "NA",
    ],
}

# Neutral and other comments that mention no planted issue. Tone drives the NPS score:
# "wish" (feature wishes, descriptions of use), "pos" / "neg" (general, unspecific).
NEUTRAL: dict[str, list[tuple[str, str]]] = {
    "fi": [
        ("Raportointiin toivoisin enemmän muokattavuutta, esimerkiksi omia kenttiä.", "wish"),
        ("Käytämme Kenttää pääasiassa työmääräysten hallintaan ja asentajien aikataulutukseen.", "wish"),
        ("Olisi hienoa, jos raportit saisi ajastettua sähköpostiin joka maanantai.", "wish"),
        ("Toivoisin Excel-vientiin enemmän vaihtoehtoja.", "wish"),
        ("Kokonaisuutena tyytyväisiä.", "pos"),
        ("Ihan toimiva järjestelmä meidän tarpeisiin.", "pos"),
        ("Tumma tila mobiiliin olisi kiva lisä.", "wish"),
        ("Karttanäkymään voisi lisätä asiakkaiden avainten säilytystiedot.", "wish"),
        ("Meillä järjestelmää käyttää kuusi esimiestä ja noin 40 asentajaa.", "wish"),
        ("Olemme olleet asiakkaana vuodesta 2023.", "wish"),
        ("Ruotsinkielinen käyttöliittymä olisi tarpeen Pohjanmaan toimipisteelle.", "wish"),
        ("Toivoisin, että raporteissa näkyisi asentajakohtainen tuottavuus.", "wish"),
        ("Hyvä tuote, kehitettävää vielä on.", "pos"),
        ("Vuosittainen asiakastilaisuus oli mukava.", "pos"),
        ("Dashboardiin voisi saada kuukausivertailun.", "wish"),
        ("Käytämme järjestelmää pääasiassa huoltosopimusten seurantaan.", "wish"),
        ("Kiinteistöalalla kilpailu on kovaa, joten kustannustehokkuus ratkaisee.", "wish"),
        ("Olisi hyvä, jos järjestelmä muistuttaisi määräaikaishuolloista.", "wish"),
        ("Vastaan kyselyyn toimitusjohtajana, en käytä järjestelmää päivittäin itse.", "wish"),
        ("Toivoisimme mahdollisuutta liittää työmääräyksiin pohjapiirustuksia.", "wish"),
        ("Kyselyn voisi tehdä lyhyemmäksi.", "wish"),
        ("Pääosin tyytyväisiä, vaikka aina on parantamisen varaa.", "pos"),
        ("Varaosien saldoseuranta olisi tervetullut lisä.", "wish"),
        ("Asiakkaan kuittaus tehdään vielä joissakin kohteissa paperilla, mutta siirrymme sähköiseen.", "wish"),
        ("Järjestelmä on ok. Ei mitään erityisen hyvää tai huonoa.", "wish"),
        ("Toivoisin, että asiakasportaalissa olisi oma näkymä isännöitsijöille.", "wish"),
        ("Kehitystiekartta saisi olla julkisempi.", "wish"),
        ("Olemme kasvaneet 20 asentajasta 35:een Kentän aikana.", "pos"),
        ("Tuntikirjausraportti on meillä kovassa käytössä.", "wish"),
        ("Kiitos kyselystä.", "wish"),
        ("Työmaapäiväkirja-ominaisuus olisi hyödyllinen rakennuspuolelle.", "wish"),
        ("Ajoneuvojen seuranta samaan järjestelmään olisi iso parannus.", "wish"),
        ("Hyvin on toiminut.", "pos"),
        ("Ei ole täysin vastannut odotuksiamme, mutta menee.", "neg"),
        ("Tietoturva-asiat vaikuttavat olevan kunnossa, mikä on meille tärkeää.", "pos"),
        ("Haluaisimme enemmän tilastoja asiakkaille raportoitavaksi.", "wish"),
        ("Kentän avulla olemme saaneet paperityöt vähenemään.", "pos"),
        ("Karttanäkymä on meillä ahkerassa käytössä päivittäin.", "wish"),
        ("Toivoisin lisää käyttäjärooleja, esim. aliurakoitsijoille rajattu näkymä.", "wish"),
        ("Palvelu kokonaisuutena on keskitasoa.", "neg"),
        ("Työvuorosuunnittelun ja lomien yhdistäminen olisi hyvä lisä.", "wish"),
        ("Tavoitteena on laajentaa käyttöä myös Oulun toimipisteeseen ensi vuonna.", "pos"),
        ("Olisi kiva, jos asiakasyritykset voisivat tehdä huoltopyyntöjä suoraan järjestelmään.", "wish"),
        ("Energiaraportit kiinteistöittäin olisivat meille tärkeitä.", "wish"),
        ("Järjestelmä on vakaa ja tekee mitä pitää.", "pos"),
        ("Toivoisimme QR-koodien käyttöä laitteiden tunnistamiseen.", "wish"),
        ("Kokonaisuus on kunnossa, pieniä kehitystoiveita on.", "pos"),
        ("Toimimme siivousalalla, ja kohteita on yli 200.", "wish"),
        ("Raportoinnin grafiikat voisivat olla nykyaikaisemmat.", "wish"),
        ("Ihan hyvä, ei valittamista.", "pos"),
    ],
    "en": [
        ("I'd like more flexible reporting, e.g. custom fields.", "wish"),
        ("We mainly use Kenttä for work orders and scheduling technicians.", "wish"),
        ("It would be great if reports could be scheduled to email every Monday.", "wish"),
        ("More options for Excel export, please.", "wish"),
        ("Overall we're satisfied.", "pos"),
        ("Does the job for us.", "pos"),
        ("A dark mode for the mobile app would be nice.", "wish"),
        ("Would be useful to store key handover info on the map view.", "wish"),
        ("We have six supervisors and around 40 technicians on the system.", "wish"),
        ("Customer since 2023.", "wish"),
        ("A Swedish-language UI would help our Ostrobothnia branch.", "wish"),
        ("I'd like to see per-technician productivity in the reports.", "wish"),
        ("Good product, still room to grow.", "pos"),
        ("The annual customer event was nice.", "pos"),
        ("A month-over-month comparison on the dashboard would help.", "wish"),
        ("We mostly use it to track maintenance contracts.", "wish"),
        ("Would be good if the system reminded us about periodic maintenance.", "wish"),
        ("Answering as CEO, I don't use the system daily myself.", "wish"),
        ("Please add the option to attach floor plans to work orders.", "wish"),
        ("This survey could be shorter.", "wish"),
        ("Mostly happy, always room for improvement.", "pos"),
        ("Spare parts stock tracking would be a welcome addition.", "wish"),
        ("It's fine. Nothing especially good or bad.", "wish"),
        ("A separate view for property managers in the customer portal would be useful.", "wish"),
        ("The product roadmap could be more public.", "wish"),
        ("We've grown from 20 to 35 technicians while using Kenttä.", "pos"),
        ("Vehicle tracking in the same system would be a big improvement.", "wish"),
        ("Hasn't fully met our expectations, but it's okay.", "neg"),
        ("Security and data protection seem to be in order, which matters to us.", "pos"),
        ("Kenttä has helped us cut down on paperwork a lot.", "pos"),
        ("More user roles please, e.g. a restricted view for subcontractors.", "wish"),
        ("We plan to roll it out to our Oulu office next year.", "pos"),
        ("Stable system, does what it should.", "pos"),
        ("QR codes for identifying equipment would be handy.", "wish"),
        ("Energy reports per property would be valuable for us.", "wish"),
        ("Thanks for asking.", "wish"),
    ],
}

# Optional framing around a single-issue answer. None of these mention a planted issue.
CONTEXT = {
    "fi": [
        "Olemme kiinteistöhuoltoyhtiö Pirkanmaalta, 14 asentajaa.",
        "Käytössä noin kaksi vuotta.",
        "Olemme pieni siivousalan yritys.",
        "Meillä Kenttä on ollut käytössä viime keväästä.",
        "Sähköurakoitsija, noin 30 työntekijää.",
        "LVI-puolen yrityksenä työmääräyksiä on paljon.",
        "Vastaan talouspäällikön näkökulmasta.",
        "Vartiointialalla töitä tehdään ympäri vuorokauden.",
    ],
    "en": [
        "We're a property maintenance company with 14 technicians.",
        "Been using it for about two years.",
        "Small cleaning company here.",
        "We've had Kenttä since last spring.",
        "Electrical contractor, around 30 staff.",
        "HVAC firm, lots of work orders every day.",
        "Answering from the finance side.",
        "We're a security company, our people work around the clock.",
    ],
}
CLOSER_FAIL = {
    "fi": [
        "Toivottavasti tähän tulee parannus.",
        "Korjatkaa tämä.",
        "Tämä pitäisi saada kuntoon pian.",
        "Harkitsemme vaihtoehtoja, jos tilanne ei parane.",
        "Muuten ihan ok.",
        "Tästä olemme puhuneet ennenkin.",
    ],
    "en": [
        "Please fix this.",
        "Hope this improves soon.",
        "We're looking at alternatives if this continues.",
        "Otherwise it's OK.",
        "We've raised this before.",
    ],
}
CLOSER_SUCCESS = {
    "fi": ["Kiitos siitä!", "Hyvää työtä.", "Jatkakaa samaan malliin.", "Tästä iso plussa."],
    "en": ["Thanks for that!", "Good job.", "Keep it up.", "Big plus."],
}
MIXED_TEMPLATES = {
    "fi": ["{a} {b}", "Plussaa: {s} Miinusta: {f}", "Hyvää: {s} Huonoa: {f}"],
    "en": ["{a} {b}", "Good: {s} Bad: {f}", "Pros: {s} Cons: {f}"],
}


def _score(rng: random.Random, issues: tuple[str, ...], tone: str) -> int:
    """NPS 0-10 consistent with what the answer says."""
    fails = [i for i in issues if i.startswith("F")]
    wins = [i for i in issues if i.startswith("S")]
    if len(fails) >= 2:
        return rng.choice([0, 1, 2, 2, 3, 3, 4])
    if fails and wins:
        return rng.choice([4, 5, 6, 6, 7, 7, 8])
    if fails:
        if fails[0] == "F4":
            return rng.choice([4, 5, 6, 6, 7])
        if fails[0] == "F5":
            return rng.choice([1, 2, 3, 4])
        return rng.choice([0, 1, 2, 3, 3, 4, 4, 5, 5, 5, 6, 6])
    if len(wins) >= 2:
        return rng.choice([9, 10, 10])
    if wins:
        if wins[0] == "S3":
            return rng.choice([8, 9, 9, 10])
        return rng.choice([8, 9, 9, 10, 10, 10])
    return {
        "pos": rng.choice([8, 8, 9, 9, 10]),
        "neg": rng.choice([4, 5, 5, 6]),
        "wish": rng.choice([6, 7, 7, 8, 8, 9]),
        "none": rng.choice([5, 6, 7, 7, 8, 8, 8, 9, 10]),
    }[tone]


def build_rows(seed: int = SEED) -> list[dict]:
    """Return the survey rows with their planted-issue labels (not written to the CSV)."""
    rng = random.Random(seed)
    rows: list[dict] = []
    for lang in LANGS:
        pools = {i: rng.sample(POOLS[i][lang], len(POOLS[i][lang])) for i in ISSUES}

        def take(issue: str, lang: str = lang, pools: dict = pools) -> str:
            if not pools[issue]:
                raise SystemExit(f"pool {issue}/{lang} too small")
            return pools[issue].pop()

        # Single-issue rows: target minus the mentions consumed by double rows.
        singles = Counter({i: TARGET[i][lang] for i in ISSUES})
        for pair in DOUBLES[lang]:
            singles.subtract(pair)
        for a, b in DOUBLES[lang]:
            ta, tb = take(a), take(b)
            if a[0] != b[0]:
                f, s = (ta, tb) if a.startswith("F") else (tb, ta)
                tpl = rng.choice(MIXED_TEMPLATES[lang])
                first, second = rng.sample([ta, tb], 2)
                text = tpl.format(a=first, b=second, f=f, s=s)
            else:
                first, second = rng.sample([ta, tb], 2)
                text = f"{first} {second}"
            rows.append({"lang": lang, "issues": (a, b), "kind": "issue", "tone": "", "text": text})
        for issue in ISSUES:
            for _ in range(singles[issue]):
                parts = [take(issue)]
                roll = rng.random()
                if roll < 0.22:
                    parts.insert(0, rng.choice(CONTEXT[lang]))
                elif roll < 0.40:
                    closers = CLOSER_FAIL if issue.startswith("F") else CLOSER_SUCCESS
                    parts.append(rng.choice(closers[lang]))
                rows.append(
                    {
                        "lang": lang,
                        "issues": (issue,),
                        "kind": "issue",
                        "tone": "",
                        "text": " ".join(parts),
                    }
                )
        for text in NON_ANSWERS[lang]:
            rows.append({"lang": lang, "issues": (), "kind": "non-answer", "tone": "none", "text": text})
        n_neutral = ROWS_PER_LANG[lang] - sum(1 for r in rows if r["lang"] == lang)
        for text, tone in rng.sample(NEUTRAL[lang], n_neutral):
            rows.append({"lang": lang, "issues": (), "kind": "neutral", "tone": tone, "text": text})

    span = (LAST_DAY - FIRST_DAY).days
    for row in rows:
        row["score"] = _score(rng, row["issues"], row["tone"])
        row["date"] = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        row["order"] = rng.random()
    rows.sort(key=lambda r: (r["date"], r["order"]))
    for n, row in enumerate(rows, start=1001):
        row["id"] = f"V-{n}"
    return rows


def count_mentions(rows: list[dict]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {i: Counter() for i in ISSUES}
    for row in rows:
        for issue in row["issues"]:
            counts[issue][row["lang"]] += 1
    return counts


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT_PATH
    rows = build_rows()

    texts = [r["text"] for r in rows]
    assert len(rows) == N_ROWS, len(rows)
    assert len(set(texts)) == len(texts), "duplicate answers"
    assert len({r["id"] for r in rows}) == N_ROWS

    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for r in rows:
            d = r["date"]
            writer.writerow([r["id"], f"{d.day}.{d.month}.{d.year}", r["score"], r["text"]])

    counts = count_mentions(rows)
    langs = Counter(r["lang"] for r in rows)
    kinds = Counter((r["kind"], r["lang"]) for r in rows)
    doubles = sum(1 for r in rows if len(r["issues"]) == 2)
    print(f"wrote {out} ({len(rows)} rows: fi {langs['fi']}, en {langs['en']})")
    print(f"{'issue':<6}{'fi':>5}{'en':>5}{'total':>7}")
    for issue in ISSUES:
        c = counts[issue]
        print(f"{issue:<6}{c['fi']:>5}{c['en']:>5}{c['fi'] + c['en']:>7}")
    for kind in ("non-answer", "neutral"):
        fi, en = kinds[(kind, "fi")], kinds[(kind, "en")]
        print(f"{kind:<11} fi {fi}, en {en}, total {fi + en}")
    print(f"rows mentioning two planted issues: {doubles}")

    for issue in ISSUES:
        for lang in LANGS:
            assert counts[issue][lang] == TARGET[issue][lang], (issue, lang)
    expected_total = {
        "F1": 45,
        "F2": 40,
        "F3": 35,
        "F6": 18,
        "F4": 5,
        "F5": 3,
        "S1": 35,
        "S2": 20,
        "S3": 10,
        "S4": 15,
    }
    for issue, n in expected_total.items():
        assert sum(counts[issue].values()) == n, issue
    assert kinds[("non-answer", "fi")] + kinds[("non-answer", "en")] == 25
    assert langs["fi"] == 192 and langs["en"] == 128
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
