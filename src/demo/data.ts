import type { ChannelKind, ContentFormat, ContentStatus, Market, NeedType, Role } from '../generated/sqlite/enums.js';

/**
 * The demo workspace's contents: a Utrecht bike shop with a consumer
 * journey and a business (bike-lease) journey. Written to show every part of
 * the product, including deliberate holes for the gap analysis:
 * - nothing live for ZZP'ers in the business decision phase on e-mail (their
 *   offer e-mail is still a draft; the live one targets MKB),
 * - nothing at all for students in the consumer journey's STAY phases
 *   (no generic pieces there either), so the calendar reports SILENCE,
 * - an e-mail overload for families and a social-media collision for e-bike
 *   commuters next week, expired, expiring and stale pieces,
 * - and, from its interactions (interactions.ts), students who hardly order
 *   at the order form: an UNDERPERFORMING cell.
 * Phases are referenced as "<journey key>:<phase key>". Dates are days from
 * today (09:00 UTC) or a weekday of next week, so the demo stays current.
 */

export const DEMO_WORKSPACE_ID = 'demo';
export const DEMO_WORKSPACE_NAME = 'Demo: Fietsenmaker Van Dijk';
export const SITE = 'https://www.fietsenmakervandijk.nl';

/** Fixed, documented secrets: the demo is public anyway, and the console prints them. */
export const DEMO_KEYS: { role: Role; name: string; secret: string }[] = [
  { role: 'ADMIN', name: 'Demo admin', secret: 'cpk_demo_admin' },
  { role: 'EDITOR', name: 'Demo editor', secret: 'cpk_demo_editor' },
  { role: 'DELIVERY', name: 'Demo website', secret: 'cpk_demo_delivery' },
];

export const DEMO_JOURNEYS = [
  {
    key: 'consument',
    template: 'five-a',
    name: 'Klantreis consumenten',
    description: 'Van de eerste Instagram-post tot de klant die de winkel aan vrienden aanraadt.',
  },
  {
    key: 'zakelijk',
    template: 'awareness-to-advocacy',
    name: 'Klantreis zakelijk (fietslease)',
    description: 'Werkgevers en zelfstandigen die fietsen leasen of zakelijk aanschaffen; langere beslisroute met meerdere betrokkenen.',
  },
];

export interface DemoSegment {
  key: string;
  name: string;
  description: string;
  market: Market;
  journey: string;
  parent?: string;
}

/** Parents before their children. */
export const DEMO_SEGMENTS: DemoSegment[] = [
  { key: 'forenzen', name: 'Forenzen', description: 'Fietsen dagelijks 5 tot 20 km naar hun werk of het station.', market: 'B2C', journey: 'consument' },
  {
    key: 'e-bike-forenzen',
    name: 'E-bike-forenzen',
    description: 'Forenzen die meer dan 15 km per rit elektrisch afleggen, vaak vanuit de regio naar Utrecht.',
    market: 'B2C',
    journey: 'consument',
    parent: 'forenzen',
  },
  { key: 'gezinnen', name: 'Gezinnen', description: 'Ouders met jonge kinderen: bakfietsen, kinderzitjes en veiligheid.', market: 'B2C', journey: 'consument' },
  { key: 'studenten', name: 'Studenten', description: 'Studenten in Utrecht: een betaalbare fiets en snelle reparaties.', market: 'B2C', journey: 'consument' },
  {
    key: 'mkb',
    name: 'MKB-werkgevers',
    description: 'Werkgevers met 10 tot 250 medewerkers die een fietsplan of fietslease aanbieden.',
    market: 'B2B',
    journey: 'zakelijk',
  },
  {
    key: 'zzp',
    name: "ZZP'ers",
    description: 'Zelfstandigen die een e-bike of bakfiets zakelijk aanschaffen of leasen.',
    market: 'B2B',
    journey: 'zakelijk',
    parent: 'mkb',
  },
];

export const DEMO_CHANNELS: { key: string; name: string; kind: ChannelKind; maxPerWeek?: number }[] = [
  { key: 'website', name: 'Website', kind: 'WEBSITE' },
  { key: 'email', name: 'E-mail', kind: 'EMAIL', maxPerWeek: 2 },
  { key: 'social', name: 'Social media', kind: 'SOCIAL', maxPerWeek: 4 },
  { key: 'ads', name: 'Online advertenties', kind: 'ADS' },
  { key: 'sms', name: 'Sms', kind: 'SMS', maxPerWeek: 1 },
  { key: 'phone', name: 'Telefoon', kind: 'PHONE' },
  { key: 'event', name: 'Evenementen', kind: 'EVENT' },
  { key: 'store', name: 'Winkel', kind: 'STORE' },
];

export interface DemoTouchpoint {
  /** Local reference for the pieces below; not stored. */
  ref: string;
  name: string;
  phase: string;
  channel: string;
  segment?: string;
  emotion: number;
  salesOpportunity: boolean;
  device?: string;
  needType: NeedType;
  notes?: string;
}

export const DEMO_TOUCHPOINTS: DemoTouchpoint[] = [
  {
    ref: 'instagram', name: 'Instagram-advertentie nieuwe e-bikes', phase: 'consument:attention', channel: 'social',
    emotion: 1, salesOpportunity: false, device: 'Mobiel', needType: 'EMOTIONAL', notes: 'Eerste kennismaking, scrollend op de telefoon: weinig aandacht, beeld moet het werk doen.',
  },
  {
    ref: 'testdag', name: 'Bakfiets-testdag in het Griftpark', phase: 'consument:attention', channel: 'event', segment: 'gezinnen',
    emotion: 2, salesOpportunity: false, needType: 'EMOTIONAL', notes: 'Kinderen rijden mee; ouders willen vooral zien dat het veilig is.',
  },
  {
    ref: 'studentenactie', name: 'Advertentie studentenkorting', phase: 'consument:attention', channel: 'ads', segment: 'studenten',
    emotion: 1, salesOpportunity: true, device: 'Mobiel', needType: 'FUNCTIONAL',
  },
  {
    ref: 'vergelijking', name: 'Vergelijkingspagina e-bikes', phase: 'consument:consideration', channel: 'website',
    emotion: 0, salesOpportunity: true, device: 'Desktop en mobiel', needType: 'FUNCTIONAL', notes: 'Bezoekers vergelijken actieradius, prijs en onderhoudskosten.',
  },
  {
    ref: 'showroom', name: 'Showroombezoek en proefrit', phase: 'consument:consideration', channel: 'store',
    emotion: 2, salesOpportunity: true, needType: 'EMOTIONAL', notes: 'Hier slaat twijfel om: de eerste rit met trapondersteuning.',
  },
  {
    ref: 'bestelformulier', name: 'Bestelformulier webshop', phase: 'consument:action', channel: 'website',
    emotion: -1, salesOpportunity: true, device: 'Mobiel', needType: 'FUNCTIONAL', notes: 'Te veel velden op mobiel; afhakers bij de keuze tussen bezorgen en afhalen.',
  },
  {
    ref: 'bevestiging', name: 'Bevestigingsmail bestelling', phase: 'consument:action', channel: 'email',
    emotion: 1, salesOpportunity: false, device: 'Mobiel', needType: 'FUNCTIONAL', notes: 'Geruststelling: klopt mijn bestelling en wanneer kan ik de fiets ophalen?',
  },
  {
    ref: 'ophaalsms', name: 'Sms: je fiets staat klaar', phase: 'consument:action', channel: 'sms',
    emotion: 1, salesOpportunity: false, device: 'Mobiel', needType: 'FUNCTIONAL',
  },
  {
    ref: 'klantenservice', name: 'Klantenservicegesprek bij pech of storing', phase: 'consument:always', channel: 'phone',
    emotion: -2, salesOpportunity: false, device: 'Telefoon', needType: 'FUNCTIONAL', notes: 'De klant belt gefrustreerd: de accu laadt niet of de motor valt uit onderweg.',
  },
  {
    ref: 'onderhoud', name: 'Onderhoudsherinnering na 1.000 km', phase: 'consument:always', channel: 'email',
    emotion: 0, salesOpportunity: true, device: 'Mobiel', needType: 'FUNCTIONAL',
  },
  {
    ref: 'review', name: 'Reviewverzoek twee weken na aankoop', phase: 'consument:advocate', channel: 'email',
    emotion: 1, salesOpportunity: false, device: 'Mobiel', needType: 'EMOTIONAL',
  },
  {
    ref: 'linkedin', name: 'LinkedIn-post over fietsleasing', phase: 'zakelijk:awareness', channel: 'social',
    emotion: 0, salesOpportunity: false, device: 'Desktop', needType: 'EMOTIONAL',
  },
  {
    ref: 'intake', name: 'Intakegesprek leaseregeling', phase: 'zakelijk:consideration', channel: 'phone', segment: 'mkb',
    emotion: 0, salesOpportunity: true, device: 'Telefoon of Teams', needType: 'FUNCTIONAL', notes: 'De HR-manager wil weten wat het kost, wie het regelt en hoe het fiscaal zit.',
  },
  {
    ref: 'proefritdag', name: 'Proefritdag op locatie bij de werkgever', phase: 'zakelijk:consideration', channel: 'event', segment: 'mkb',
    emotion: 2, salesOpportunity: true, needType: 'EMOTIONAL',
  },
  {
    ref: 'offerte', name: 'Offerte per e-mail', phase: 'zakelijk:decision', channel: 'email',
    emotion: -1, salesOpportunity: true, device: 'Desktop', needType: 'FUNCTIONAL', notes: 'Onzekerheid over bijtelling en totale kosten: snel en helder antwoord nodig.',
  },
  {
    ref: 'kwartaalgesprek', name: 'Kwartaalgesprek met de wagenparkbeheerder', phase: 'zakelijk:retention', channel: 'phone', segment: 'mkb',
    emotion: 0, salesOpportunity: true, needType: 'FUNCTIONAL',
  },
  {
    ref: 'doorverwijzing', name: "Doorverwijsverzoek aan zzp'ers", phase: 'zakelijk:advocacy', channel: 'email', segment: 'zzp',
    emotion: 1, salesOpportunity: false, device: 'Desktop', needType: 'EMOTIONAL',
  },
];

export interface DemoCoverageRule {
  segment?: string;
  phase?: string;
  channel?: string;
  minLive?: number;
  notExpected?: boolean;
}

export const DEMO_COVERAGE_RULES: DemoCoverageRule[] = [
  // Every consumer segment should always find something live on social media when it first meets the brand...
  { phase: 'consument:attention', channel: 'social', minLive: 1 },
  // ...and on the website when it is ready to buy.
  { phase: 'consument:action', channel: 'website', minLive: 1 },
  { phase: 'zakelijk:decision', channel: 'website', minLive: 1 },
  // Students buy online: the showroom touchpoint does not apply to them.
  { segment: 'studenten', phase: 'consument:consideration', channel: 'store', notExpected: true },
  // E-bike commuters compare a lot: they need at least two live comparison pages.
  { segment: 'e-bike-forenzen', phase: 'consument:consideration', channel: 'website', minLive: 2 },
];

/** A date: days from today 09:00 UTC, or a day of next week (0 = Monday) at an hour (UTC). */
export type DemoDate = number | { nextWeek: number; hour: number };

export interface DemoPiece {
  externalId: string;
  title: string;
  summary: string;
  format: ContentFormat;
  status: ContentStatus;
  phases: string[];
  channels: string[];
  /** Empty or omitted: generic. */
  segments?: string[];
  touchpoints?: string[];
  locale?: string;
  publishAt?: DemoDate;
  expiresAt?: DemoDate;
  reviewAt?: DemoDate;
  priority?: number;
  needType?: NeedType;
}

const C = (phase: string) => `consument:${phase}`;
const Z = (phase: string) => `zakelijk:${phase}`;

export const DEMO_PIECES: DemoPiece[] = [
  // Consumers: attention.
  {
    externalId: 'cms-1001', title: 'Nieuw binnen: de Van Dijk Stadsflyer e-bike', format: 'SOCIAL_POST', status: 'PUBLISHED',
    summary: 'Carrouselpost over onze nieuwe stads-e-bike: 70 km actieradius, riemaandrijving en een accu die je mee naar binnen neemt.',
    phases: [C('attention')], channels: ['social'], touchpoints: ['instagram'], publishAt: -20, reviewAt: 70, priority: 70, needType: 'EMOTIONAL',
  },
  {
    externalId: 'cms-1002', title: 'In 30 seconden van Zeist naar de Uithof', format: 'SHORT_VIDEO', status: 'PUBLISHED',
    summary: 'Korte video: een forenzin zoeft op haar e-bike langs de file op de A28. Eindigt met een knop om een proefrit te plannen.',
    phases: [C('attention')], channels: ['social', 'ads'], segments: ['e-bike-forenzen'], touchpoints: ['instagram'], publishAt: -12, expiresAt: 40, priority: 65,
  },
  {
    externalId: 'cms-1003', title: 'Studentenfiets vanaf € 149, inclusief slot', format: 'ONLINE_AD', status: 'PUBLISHED',
    summary: 'Advertentie voor de introductieweek: opgeknapte tweedehands fietsen met drie maanden garantie en een ringslot.',
    phases: [C('attention')], channels: ['ads', 'social'], segments: ['studenten'], touchpoints: ['studentenactie'], publishAt: -60, expiresAt: -5,
  },
  {
    externalId: 'cms-1004', title: 'Studentenkorting: 15% op onderhoud met je collegekaart', format: 'ONLINE_AD', status: 'SCHEDULED',
    summary: 'Campagne voor het nieuwe blok: laat je collegekaart zien en krijg korting op elke reparatie en onderhoudsbeurt.',
    phases: [C('attention')], channels: ['ads'], segments: ['studenten'], touchpoints: ['studentenactie'], publishAt: 10, expiresAt: 45,
  },
  {
    externalId: 'cms-1005', title: 'Vijf redenen om in de winter gewoon door te fietsen', format: 'BLOG_POST', status: 'PUBLISHED',
    summary: 'Over goede verlichting, winterbanden, droge kleding en waarom je na een koude rit fitter aan je bureau zit.',
    phases: [C('attention')], channels: ['website', 'social'], segments: ['forenzen'], publishAt: -120, reviewAt: -10,
  },
  {
    externalId: 'cms-1006', title: 'Fietsenmaker Van Dijk opent tweede vestiging in Amersfoort', format: 'PRESS_RELEASE', status: 'PUBLISHED',
    summary: 'Persbericht: na veertig jaar in Utrecht-Oost opent de familiezaak een winkel met werkplaats aan de Utrechtseweg.',
    phases: [C('attention')], channels: ['website'], publishAt: -200, reviewAt: -30, priority: 30,
  },
  {
    externalId: 'cms-1007', title: 'Bakfiets-check: past er een kinderzitje én de boodschappen in?', format: 'SHORT_VIDEO', status: 'IDEA',
    summary: 'Idee: een vader laadt twee kinderen, een tas boodschappen en een krat bier in de bakfiets. Humor, maar met echte maten.',
    phases: [C('attention')], channels: ['social'], segments: ['gezinnen'],
  },
  {
    externalId: 'cms-1008', title: 'Bakfiets-testdag in het Griftpark', format: 'USER_EVENT', status: 'SCHEDULED',
    summary: 'Uitnodiging voor de testdag: twaalf bakfietsen om te proberen, een kinderparcours en koffie voor de ouders.',
    phases: [C('attention')], channels: ['event', 'social'], segments: ['gezinnen'], touchpoints: ['testdag'], publishAt: 18, needType: 'EMOTIONAL',
  },
  {
    externalId: 'cms-1009', title: 'Commuting by e-bike in Utrecht: a quick guide for expats', format: 'SOCIAL_POST', status: 'PUBLISHED', locale: 'en-GB',
    summary: 'The fastest routes into the city, where to park at Utrecht Centraal, and which e-bike handles the headwind on the Waterlinieweg.',
    phases: [C('attention')], channels: ['social', 'website'], segments: ['forenzen'], publishAt: -30,
  },

  // Consumers: consideration.
  {
    externalId: 'cms-1010', title: 'E-bikes vergeleken: middenmotor of voorwielmotor?', format: 'COMPARISON', status: 'PUBLISHED',
    summary: 'Eerlijke vergelijking van acht e-bikes uit onze winkel: trapgevoel, actieradius, gewicht en onderhoudskosten per jaar.',
    phases: [C('consideration')], channels: ['website'], touchpoints: ['vergelijking'], publishAt: -45, reviewAt: 45, priority: 80, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1011', title: 'Van Dijk Stadsflyer: specificaties, prijs en proefrit', format: 'PRODUCT_PAGE', status: 'PUBLISHED',
    summary: 'Productpagina met alle specificaties, drie kleuren, de prijs inclusief montage en een agenda om direct een proefrit te boeken.',
    phases: [C('consideration')], channels: ['website'], segments: ['e-bike-forenzen'], touchpoints: ['vergelijking'], publishAt: -20, reviewAt: 100, priority: 75,
  },
  {
    externalId: 'cms-1012', title: 'Speed pedelec of e-bike: wat past bij jouw woon-werkafstand?', format: 'COMPARISON', status: 'IN_REVIEW',
    summary: 'Vanaf welke afstand loont een speed pedelec? Met rekenvoorbeelden voor ritten van 15, 25 en 35 km, helmplicht en verzekering.',
    phases: [C('consideration')], channels: ['website'], segments: ['e-bike-forenzen'], touchpoints: ['vergelijking'], publishAt: 7,
  },
  {
    externalId: 'cms-1013', title: 'Getest: drie bakfietsen met twee kinderen en een hond', format: 'REVIEW', status: 'PUBLISHED',
    summary: 'Onze monteur en haar gezin testten drie bakfietsen een maand lang: wendbaarheid, regenhuif, stabiliteit en parkeren voor de deur.',
    phases: [C('consideration')], channels: ['website', 'social'], segments: ['gezinnen'], publishAt: -90, reviewAt: 20, needType: 'EMOTIONAL',
  },
  {
    externalId: 'cms-1014', title: "Veelgestelde vragen over accu's en actieradius", format: 'FAQ', status: 'PUBLISHED',
    summary: 'Hoe lang gaat een accu mee, wat doet kou met je actieradius en mag je je accu op kantoor opladen? De twintig meest gestelde vragen.',
    phases: [C('consideration')], channels: ['website'], publishAt: -300, reviewAt: -60, priority: 60, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1015', title: 'Plan je proefrit in de winkel', format: 'LANDING_PAGE', status: 'DRAFT',
    summary: 'Landingspagina om een proefrit van een halfuur te boeken, met de fietsen die op voorraad staan en de drukte per dagdeel.',
    phases: [C('consideration')], channels: ['website', 'store'], touchpoints: ['showroom'], publishAt: 14,
  },
  {
    externalId: 'cms-1016', title: 'Rondleiding door onze werkplaats', format: 'VIDEO', status: 'PUBLISHED',
    summary: 'Drie minuten achter de schermen: hoe we elke fiets voor aflevering afstellen en waarom we zelf wielen richten.',
    phases: [C('consideration')], channels: ['website', 'social'], touchpoints: ['showroom'], publishAt: -150, reviewAt: 30, needType: 'EMOTIONAL',
  },
  {
    externalId: 'cms-1017', title: 'Which bike suits a student budget?', format: 'ARTICLE', status: 'PUBLISHED', locale: 'en-GB',
    summary: 'New, second-hand or a bike subscription: what each costs per month, what happens when it is stolen, and what we repair for free.',
    phases: [C('consideration')], channels: ['website'], segments: ['studenten'], publishAt: -40,
  },
  {
    externalId: 'cms-1018', title: 'E-bikes vergeleken: de modellen van vorig jaar', format: 'COMPARISON', status: 'ARCHIVED',
    summary: 'De vergelijking van vorig seizoen, vervangen door de nieuwe versie met middenmotoren.',
    phases: [C('consideration')], channels: ['website'], publishAt: -600, expiresAt: -240,
  },
  {
    externalId: 'cms-1019', title: 'Marieke (38) fietst nu elke dag 22 km naar Utrecht', format: 'TESTIMONIAL', status: 'PUBLISHED',
    summary: 'Klantverhaal: hoe Marieke de auto verkocht, wat ze in een jaar bespaarde en waarom ze nooit meer in de file wil staan.',
    phases: [C('consideration'), C('action')], channels: ['website', 'social'], segments: ['e-bike-forenzen'], publishAt: -25, expiresAt: 6, needType: 'EMOTIONAL',
  },

  // Consumers: action.
  {
    externalId: 'cms-1020', title: 'Inruilactie: tot € 300 voor je oude fiets', format: 'OFFER', status: 'PUBLISHED',
    summary: 'Breng je oude fiets mee bij aankoop van een e-bike en krijg tot € 300 korting, ook als hij niet meer rijdt.',
    phases: [C('action')], channels: ['website', 'store'], touchpoints: ['bestelformulier'], publishAt: -10, expiresAt: 9, priority: 85,
  },
  {
    externalId: 'cms-1021', title: 'Bestel online, haal op in de winkel', format: 'LANDING_PAGE', status: 'PUBLISHED',
    summary: 'Uitleg bij het bestelproces: online betalen, wij stellen de fiets op jouw lengte af en je haalt hem binnen drie werkdagen op.',
    phases: [C('action')], channels: ['website'], touchpoints: ['bestelformulier'], publishAt: -80, reviewAt: 10, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1022', title: 'Bedankt voor je bestelling', format: 'SERVICE_MESSAGE', status: 'PUBLISHED',
    summary: 'De bevestigingsmail: wat je besteld hebt, wanneer de fiets klaarstaat en wie je kunt bellen als er iets niet klopt.',
    phases: [C('action')], channels: ['email'], touchpoints: ['bevestiging'], publishAt: -365, reviewAt: -5, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1023', title: 'Je fiets staat klaar om op te halen', format: 'SERVICE_MESSAGE', status: 'PUBLISHED',
    summary: 'Sms-tekst met ophaalnummer, openingstijden en een link naar de route naar de winkel.',
    phases: [C('action')], channels: ['sms'], touchpoints: ['ophaalsms'], publishAt: -365, reviewAt: 100, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1024', title: 'Betalen in termijnen: zo werkt het', format: 'FAQ', status: 'PUBLISHED',
    summary: 'Gespreid betalen in 12 of 24 maanden zonder rente: voorwaarden, BKR-toetsing en wat er gebeurt als je fiets gestolen wordt.',
    phases: [C('action')], channels: ['website'], segments: ['forenzen'], publishAt: -50, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1025', title: 'Voorjaarsactie: gratis regenhuif bij je bakfiets', format: 'OFFER', status: 'SCHEDULED',
    summary: 'Koop in het voorjaar een bakfiets en krijg er een regenhuif en twee kinderzitjes met gordels gratis bij.',
    phases: [C('action')], channels: ['website', 'email'], segments: ['gezinnen'], publishAt: { nextWeek: 2, hour: 9 }, expiresAt: 60, priority: 70,
  },
  {
    externalId: 'cms-1026', title: 'Studentendeal: fiets, slot en onderhoud voor € 12 per maand', format: 'OFFER', status: 'DRAFT',
    summary: 'Fietsabonnement voor studenten: kapot is binnen een dag gemaakt, gestolen is binnen een week vervangen.',
    phases: [C('action')], channels: ['website'], segments: ['studenten'],
  },
  {
    externalId: 'cms-1027', title: 'Bestelformulier op mobiel in drie stappen', format: 'LANDING_PAGE', status: 'IDEA',
    summary: 'Idee naar aanleiding van de afhakers: minder velden, afhalen als standaard en betalen met iDEAL zonder account.',
    phases: [C('action')], channels: ['website'], touchpoints: ['bestelformulier'], needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1028', title: 'Trade in your old bike: up to €300 off', format: 'OFFER', status: 'PUBLISHED', locale: 'en-GB',
    summary: 'Bring your old bike when you buy an e-bike and get up to €300 off, even if it no longer rides.',
    phases: [C('action')], channels: ['website'], touchpoints: ['bestelformulier'], publishAt: -10, expiresAt: 9,
  },

  // Consumers: always (STAY). Deliberately nothing generic and nothing for students.
  {
    externalId: 'cms-1029', title: 'Je e-bike winterklaar in vijf stappen', format: 'TIPS_EMAIL', status: 'PUBLISHED',
    summary: 'Accu binnen bewaren, ketting smeren, bandenspanning omhoog: de tips die je motor en accu de winter door helpen.',
    phases: [C('always')], channels: ['email'], segments: ['e-bike-forenzen'], touchpoints: ['onderhoud'], publishAt: -35, reviewAt: 150,
  },
  {
    externalId: 'cms-1030', title: 'Tijd voor je 1.000 km-beurt', format: 'SERVICE_MESSAGE', status: 'PUBLISHED',
    summary: 'Onderhoudsherinnering met een link om direct een afspraak te plannen; de eerste beurt is gratis.',
    phases: [C('always')], channels: ['email', 'sms'], segments: ['forenzen'], touchpoints: ['onderhoud'], publishAt: -100, reviewAt: 80, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1031', title: 'Accu laadt niet op? Zo los je het zelf op', format: 'HOW_TO_VIDEO', status: 'PUBLISHED',
    summary: 'Stap voor stap: contacten schoonmaken, de lader testen en de accu resetten. Lukt het niet, dan halen we de fiets gratis op.',
    phases: [C('always')], channels: ['website', 'phone'], segments: ['e-bike-forenzen'], touchpoints: ['klantenservice'], publishAt: -70, reviewAt: 20, priority: 90, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1032', title: 'Nieuwsbrief: winterverlichting en onze nieuwe werkplaats', format: 'NEWSLETTER', status: 'PUBLISHED',
    summary: 'De maandelijkse nieuwsbrief: de beste fietslampen getest, de nieuwe werkplaats in Amersfoort en een winteractie op handschoenen.',
    phases: [C('always')], channels: ['email'], segments: ['forenzen', 'gezinnen'], publishAt: -28,
  },
  {
    externalId: 'cms-1033', title: 'Nieuwsbrief: lente-onderhoud en de bakfiets-testdag', format: 'NEWSLETTER', status: 'SCHEDULED',
    summary: 'Voorjaarsnieuwsbrief met een onderhoudschecklist, de datum van de testdag en de nieuwe kinderfietsen.',
    phases: [C('always')], channels: ['email'], segments: ['forenzen', 'gezinnen'], publishAt: { nextWeek: 1, hour: 8 },
  },
  {
    externalId: 'cms-1034', title: 'Gratis bandenwissel voor abonnees', format: 'LOYALTY_OFFER', status: 'PUBLISHED',
    summary: 'Klanten met een onderhoudsabonnement krijgen deze maand gratis nieuwe banden op de bakfiets, inclusief montage.',
    phases: [C('always')], channels: ['store', 'email'], segments: ['gezinnen'], publishAt: -15, expiresAt: 30,
  },
  {
    externalId: 'cms-1035', title: 'Storing gemeld? Zo helpen we je binnen 48 uur weer op weg', format: 'SERVICE_MESSAGE', status: 'DRAFT',
    summary: 'Opvolgmail na een klantenservicegesprek: wat we gaan doen, wanneer je een leenfiets krijgt en wie je terugbelt.',
    phases: [C('always')], channels: ['phone', 'email'], segments: ['forenzen'], touchpoints: ['klantenservice'], needType: 'EMOTIONAL',
  },
  {
    externalId: 'cms-1036', title: 'Nieuwsbrief zomer: fietsen op vakantie', format: 'NEWSLETTER', status: 'ARCHIVED',
    summary: 'Fietsdragers, bagagetassen en de mooiste routes langs de Vecht. Vervangen door de winternieuwsbrief.',
    phases: [C('always')], channels: ['email'], segments: ['forenzen', 'gezinnen'], publishAt: -420, expiresAt: -300,
  },
  {
    externalId: 'cms-1037', title: 'Handleiding: kinderzitje monteren op de bakfiets', format: 'MANUAL', status: 'IN_REVIEW',
    summary: 'Met foto’s per stap, het juiste aanhaalmoment en een check of de gordels goed zitten.',
    phases: [C('always')], channels: ['website'], segments: ['gezinnen'], publishAt: 5, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1038', title: 'Veilig naar school: de beste fietsroutes met kinderen', format: 'TIPS_EMAIL', status: 'SCHEDULED',
    summary: 'Routes met vrijliggende fietspaden naar twaalf basisscholen in Utrecht-Oost, gecheckt door onze eigen fietsende ouders.',
    phases: [C('always')], channels: ['email'], segments: ['gezinnen'], publishAt: { nextWeek: 3, hour: 8 },
  },
  {
    externalId: 'cms-1039', title: 'Forenzentip: je accu opladen op het werk', format: 'SOCIAL_POST', status: 'SCHEDULED',
    summary: 'Korte post: welke stekker je nodig hebt, hoe lang het laden duurt en hoe je je werkgever om een laadpunt vraagt.',
    phases: [C('always')], channels: ['social'], segments: ['e-bike-forenzen'], publishAt: { nextWeek: 3, hour: 12 },
  },
  {
    externalId: 'cms-1040', title: 'Zo lang gaat je accu mee', format: 'SHORT_VIDEO', status: 'SCHEDULED',
    summary: 'Onze monteur legt in een minuut uit hoeveel laadcycli een accu meegaat en hoe je dat zelf rekt.',
    phases: [C('always')], channels: ['social'], segments: ['e-bike-forenzen'], publishAt: { nextWeek: 3, hour: 12 },
  },

  // Consumers: advocate (STAY).
  {
    externalId: 'cms-1041', title: 'Hoe bevalt je nieuwe fiets?', format: 'REVIEW_REQUEST', status: 'PUBLISHED',
    summary: 'Reviewverzoek twee weken na aflevering, met één klik naar Google-reviews en een vraag wat er beter kan.',
    phases: [C('advocate')], channels: ['email'], segments: ['forenzen', 'gezinnen'], touchpoints: ['review'], publishAt: -200, reviewAt: -20,
  },
  {
    externalId: 'cms-1042', title: 'Tip een vriend: jullie krijgen allebei een gratis beurt', format: 'REFERRAL_OFFER', status: 'PUBLISHED',
    summary: 'Wie een vriend aanbrengt die een fiets koopt, krijgt samen met die vriend een gratis onderhoudsbeurt.',
    phases: [C('advocate')], channels: ['email', 'website'], segments: ['e-bike-forenzen', 'gezinnen'], publishAt: -40, expiresAt: 50,
  },
  {
    externalId: 'cms-1043', title: "#MijnVanDijkFiets: klantfoto's op onze Instagram", format: 'USER_GENERATED_CONTENT', status: 'IDEA',
    summary: 'Klanten delen een foto met hun fiets; elke maand kiezen we er één die een gratis fietstas wint.',
    phases: [C('advocate')], channels: ['social'], segments: ['gezinnen'], needType: 'EMOTIONAL',
  },
  {
    externalId: 'cms-1044', title: 'How are you getting on with your new bike?', format: 'REVIEW_REQUEST', status: 'SCHEDULED', locale: 'en-GB',
    summary: 'The English review request for expat commuters, with a link to Google reviews.',
    phases: [C('advocate')], channels: ['email'], segments: ['forenzen'], touchpoints: ['review'], publishAt: 12,
  },

  // Businesses: awareness.
  {
    externalId: 'cms-1045', title: 'Waarom fietsende medewerkers minder verzuimen', format: 'THOUGHT_LEADERSHIP_ARTICLE', status: 'PUBLISHED',
    summary: 'Artikel met onderzoekscijfers over verzuim en de ervaringen van drie Utrechtse werkgevers die een fietsplan invoerden.',
    phases: [Z('awareness')], channels: ['website', 'social'], touchpoints: ['linkedin'], publishAt: -60, reviewAt: 120, priority: 75,
  },
  {
    externalId: 'cms-1046', title: 'Fietsleasing in één minuut uitgelegd', format: 'SOCIAL_POST', status: 'PUBLISHED',
    summary: 'LinkedIn-post met een animatie: de werkgever least, de medewerker fietst, de bijtelling is 7% van de adviesprijs.',
    phases: [Z('awareness')], channels: ['social'], segments: ['mkb'], touchpoints: ['linkedin'], publishAt: -14,
  },
  {
    externalId: 'cms-1047', title: 'Podcast: de fiets als secundaire arbeidsvoorwaarde', format: 'PODCAST', status: 'SCHEDULED',
    summary: 'Gesprek met een HR-directeur en een arbeidsjurist over fietsplannen, leasefietsen en wat medewerkers echt waarderen.',
    phases: [Z('awareness')], channels: ['website'], publishAt: 20,
  },
  {
    externalId: 'cms-1048', title: 'Van Dijk Zakelijk levert 250 leasefietsen aan Utrechtse zorginstelling', format: 'PRESS_RELEASE', status: 'PUBLISHED',
    summary: 'Persbericht over de grootste zakelijke order tot nu toe, inclusief onderhoud op locatie.',
    phases: [Z('awareness')], channels: ['website'], publishAt: -160, reviewAt: -15,
  },

  // Businesses: consideration.
  {
    externalId: 'cms-1049', title: 'Case: hoe installatiebedrijf Bosman 40 monteurs op de fiets kreeg', format: 'CASE_STUDY', status: 'PUBLISHED',
    summary: 'Van eerste intake tot de eerste duizend kilometer: kosten, de rol van de OR en wat de monteurs ervan vinden.',
    phases: [Z('consideration')], channels: ['website', 'email'], segments: ['mkb'], touchpoints: ['intake'], publishAt: -75, reviewAt: 60, priority: 70,
  },
  {
    externalId: 'cms-1050', title: 'Whitepaper: fietsleasing en de fiscale bijtelling', format: 'WHITEPAPER', status: 'PUBLISHED',
    summary: 'Alles over bijtelling, de vrije ruimte in de werkkostenregeling en de combinatie met reiskostenvergoeding.',
    phases: [Z('consideration')], channels: ['website'], publishAt: -110, reviewAt: 15, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1051', title: 'Webinar: een fietsplan invoeren in zes weken', format: 'WEBINAR', status: 'SCHEDULED',
    summary: 'Live webinar voor HR en finance: het stappenplan, de communicatie naar medewerkers en de meest gemaakte fouten.',
    phases: [Z('consideration')], channels: ['website', 'email'], segments: ['mkb'], publishAt: 16,
  },
  {
    externalId: 'cms-1052', title: 'Demo: het Van Dijk Zakelijk-portaal voor HR', format: 'PRODUCT_DEMO', status: 'IN_REVIEW',
    summary: 'Video-demo van het portaal: medewerkers aanmelden, fietsen kiezen, onderhoud volgen en maandfacturen downloaden.',
    phases: [Z('consideration')], channels: ['website'], segments: ['mkb'], publishAt: 9,
  },
  {
    externalId: 'cms-1053', title: "E-bike zakelijk aanschaffen als zzp'er: aftrek en btw", format: 'ARTICLE', status: 'PUBLISHED',
    summary: 'Wanneer is een e-bike of bakfiets zakelijk, hoe zit het met de btw en wat kun je aftrekken? Met een rekenvoorbeeld.',
    phases: [Z('consideration')], channels: ['website'], segments: ['zzp'], publishAt: -30, reviewAt: 90, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1054', title: 'Proefritdag bij jou op kantoor', format: 'USER_EVENT', status: 'SCHEDULED',
    summary: 'We komen met twintig fietsen naar je bedrijf: medewerkers proberen een uur lang, HR krijgt direct de aanmeldingen.',
    phases: [Z('consideration')], channels: ['event'], segments: ['mkb'], touchpoints: ['proefritdag'], publishAt: 25, needType: 'EMOTIONAL',
  },

  // Businesses: decision. Deliberately nothing live for ZZP'ers on e-mail.
  {
    externalId: 'cms-1055', title: 'Offerte fietslease: vaste maandprijs per medewerker', format: 'PRICING_PROPOSAL', status: 'PUBLISHED',
    summary: 'Offertesjabloon met de maandprijs per fiets inclusief onderhoud, verzekering en pechhulp, en de eerste drie maanden opzegbaar.',
    phases: [Z('decision')], channels: ['email'], segments: ['mkb'], touchpoints: ['offerte'], publishAt: -90, reviewAt: 30, priority: 80,
  },
  {
    externalId: 'cms-1056', title: 'Rekentool: wat kost een fietsplan per medewerker?', format: 'ROI_CALCULATOR', status: 'PUBLISHED',
    summary: 'Vul het aantal medewerkers en de woon-werkafstand in en zie de kosten, de besparing op reiskosten en de CO₂-winst.',
    phases: [Z('decision')], channels: ['website'], publishAt: -45, priority: 80, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1057', title: "Offerte voor zzp'ers: e-bike of bakfiets in eigen beheer", format: 'PRICING_PROPOSAL', status: 'DRAFT',
    summary: 'Offerte op maat voor zelfstandigen: kopen of leasen, met het fiscale voordeel per variant op een rij.',
    phases: [Z('decision')], channels: ['email'], segments: ['zzp'], touchpoints: ['offerte'],
  },
  {
    externalId: 'cms-1058', title: 'Belscript: van intake naar offerte', format: 'SALES_CALL_SCRIPT', status: 'PUBLISHED',
    summary: 'De vragen die ons zakelijk team in het tweede gesprek stelt, met antwoorden op de vijf meest gehoorde bezwaren.',
    phases: [Z('decision')], channels: ['phone'], segments: ['mkb'], publishAt: -130,
  },
  {
    externalId: 'cms-1059', title: 'Drie ondernemers over hun leasefiets', format: 'TESTIMONIAL', status: 'IN_REVIEW',
    summary: 'Een hovenier, een fotograaf en een fysiotherapeut over hun zakelijke bakfiets of e-bike en wat het ze oplevert.',
    phases: [Z('decision')], channels: ['website', 'social'], segments: ['zzp'], publishAt: 6, needType: 'EMOTIONAL',
  },

  // Businesses: retention and advocacy.
  {
    externalId: 'cms-1060', title: 'Kwartaalrapportage fietsplan voor wagenparkbeheer', format: 'ACCOUNT_REVIEW', status: 'PUBLISHED',
    summary: 'Overzicht per kwartaal: aantal fietsen, gereden kilometers, onderhoudsbeurten, schades en de stand van het budget.',
    phases: [Z('retention')], channels: ['email', 'phone'], segments: ['mkb'], touchpoints: ['kwartaalgesprek'], publishAt: -20,
  },
  {
    externalId: 'cms-1061', title: 'Zakelijke nieuwsbrief: nieuwe regels voor de fietsvergoeding', format: 'CUSTOMER_NEWSLETTER', status: 'SCHEDULED',
    summary: 'Wat de nieuwe regels voor reiskostenvergoeding betekenen voor je fietsplan, en een uitnodiging voor de netwerkborrel.',
    phases: [Z('retention')], channels: ['email'], segments: ['mkb', 'zzp'], publishAt: 11,
  },
  {
    externalId: 'cms-1062', title: 'Zakelijke nieuwsbrief: terugblik op het fietsjaar', format: 'CUSTOMER_NEWSLETTER', status: 'ARCHIVED',
    summary: 'De jaarlijkse terugblik van vorig jaar, vervangen door de nieuwe kwartaalnieuwsbrief.',
    phases: [Z('retention')], channels: ['email'], segments: ['mkb'], publishAt: -400, expiresAt: -330,
  },
  {
    externalId: 'cms-1063', title: 'Kennisbank: schade aan je leasefiets melden', format: 'KNOWLEDGE_BASE_ARTICLE', status: 'PUBLISHED',
    summary: 'Voor leaserijders en hun werkgever: schade of diefstal melden, een leenfiets aanvragen en wat de verzekering dekt.',
    phases: [Z('retention')], channels: ['website'], publishAt: -55, reviewAt: 40, needType: 'FUNCTIONAL',
  },
  {
    externalId: 'cms-1064', title: 'Verwijs een collega-ondernemer en ontvang € 250', format: 'REFERRAL_PROGRAMME', status: 'PUBLISHED',
    summary: 'Zzp’ers die een andere ondernemer aanbrengen, krijgen € 250 tegoed op onderhoud en accessoires.',
    phases: [Z('advocacy')], channels: ['email'], segments: ['zzp'], touchpoints: ['doorverwijzing'], publishAt: -33, expiresAt: 90,
  },
  {
    externalId: 'cms-1065', title: 'Uitnodiging: vertel jouw fietsplanverhaal in onze volgende case', format: 'CASE_STUDY_INVITATION', status: 'IDEA',
    summary: 'Uitnodiging aan tevreden werkgevers om mee te werken aan een klantcase, met een fotoshoot op locatie.',
    phases: [Z('advocacy')], channels: ['email'], segments: ['mkb'],
  },
  {
    externalId: 'cms-1066', title: 'Netwerkborrel voor fietsende werkgevers', format: 'COMMUNITY_EVENT', status: 'DRAFT',
    summary: 'Een avond in de winkel voor werkgevers met een fietsplan: ervaringen delen, de nieuwe modellen zien en een korte rit.',
    phases: [Z('advocacy')], channels: ['event'], segments: ['mkb'], publishAt: 35, needType: 'EMOTIONAL',
  },
];
