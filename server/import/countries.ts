/**
 * A small built-in table of UN member and observer States → ISO 3166-1 alpha-3 codes, with the
 * spellings that UN reports (which change over time, e.g. "Libyan Arab Jamahiriya"), the UPR Info
 * database ("DPR Korea", "Laos") and OHCHR's UHRI use. It serves two purposes: recognising
 * "(State, State)" attributions in a UN report, and building references like `BLR-C1-97.1a`.
 * Lookups ignore case, curly vs straight apostrophes, a leading "the" and surrounding spaces.
 */
const TABLE = `
AFG|Afghanistan
ALB|Albania
DZA|Algeria
AND|Andorra
AGO|Angola
ATG|Antigua and Barbuda
ARG|Argentina
ARM|Armenia
AUS|Australia
AUT|Austria
AZE|Azerbaijan
BHS|Bahamas
BHR|Bahrain
BGD|Bangladesh
BRB|Barbados
BLR|Belarus
BEL|Belgium
BLZ|Belize
BEN|Benin
BTN|Bhutan
BOL|Bolivia|Bolivia (Plurinational State of)|Plurinational State of Bolivia
BIH|Bosnia and Herzegovina
BWA|Botswana
BRA|Brazil
BRN|Brunei Darussalam|Brunei
BGR|Bulgaria
BFA|Burkina Faso
BDI|Burundi
CPV|Cabo Verde|Cape Verde
KHM|Cambodia
CMR|Cameroon
CAN|Canada
CAF|Central African Republic
TCD|Chad
CHL|Chile
CHN|China
COL|Colombia
COM|Comoros
COG|Congo|Republic of the Congo
CRI|Costa Rica
CIV|Côte d'Ivoire|Cote d'Ivoire|Ivory Coast
HRV|Croatia
CUB|Cuba
CYP|Cyprus
CZE|Czechia|Czech Republic
PRK|Democratic People's Republic of Korea|DPR Korea|North Korea
COD|Democratic Republic of the Congo|DR Congo|DRC
DNK|Denmark
DJI|Djibouti
DMA|Dominica
DOM|Dominican Republic
ECU|Ecuador
EGY|Egypt
SLV|El Salvador
GNQ|Equatorial Guinea
ERI|Eritrea
EST|Estonia
SWZ|Eswatini|Swaziland
ETH|Ethiopia
FJI|Fiji
FIN|Finland
FRA|France
GAB|Gabon
GMB|Gambia
GEO|Georgia
DEU|Germany
GHA|Ghana
GRC|Greece
GRD|Grenada
GTM|Guatemala
GIN|Guinea
GNB|Guinea-Bissau
GUY|Guyana
HTI|Haiti
HND|Honduras
HUN|Hungary
ISL|Iceland
IND|India
IDN|Indonesia
IRN|Iran|Iran (Islamic Republic of)|Islamic Republic of Iran
IRQ|Iraq
IRL|Ireland
ISR|Israel
ITA|Italy
JAM|Jamaica
JPN|Japan
JOR|Jordan
KAZ|Kazakhstan
KEN|Kenya
KIR|Kiribati
KWT|Kuwait
KGZ|Kyrgyzstan
LAO|Lao People's Democratic Republic|Laos
LVA|Latvia
LBN|Lebanon
LSO|Lesotho
LBR|Liberia
LBY|Libya|Libyan Arab Jamahiriya
LIE|Liechtenstein
LTU|Lithuania
LUX|Luxembourg
MDG|Madagascar
MWI|Malawi
MYS|Malaysia
MDV|Maldives
MLI|Mali
MLT|Malta
MHL|Marshall Islands
MRT|Mauritania
MUS|Mauritius
MEX|Mexico
FSM|Micronesia (Federated States of)|Micronesia|Federated States of Micronesia
MCO|Monaco
MNG|Mongolia
MNE|Montenegro
MAR|Morocco
MOZ|Mozambique
MMR|Myanmar
NAM|Namibia
NRU|Nauru
NPL|Nepal
NLD|Netherlands|Kingdom of the Netherlands
NZL|New Zealand
NIC|Nicaragua
NER|Niger
NGA|Nigeria
MKD|North Macedonia|The former Yugoslav Republic of Macedonia|Macedonia
NOR|Norway
OMN|Oman
PAK|Pakistan
PLW|Palau
PAN|Panama
PNG|Papua New Guinea
PRY|Paraguay
PER|Peru
PHL|Philippines
POL|Poland
PRT|Portugal
QAT|Qatar
KOR|Republic of Korea|South Korea
MDA|Republic of Moldova|Moldova
ROU|Romania
RUS|Russian Federation|Russia
RWA|Rwanda
KNA|Saint Kitts and Nevis
LCA|Saint Lucia
VCT|Saint Vincent and the Grenadines
WSM|Samoa
SMR|San Marino
STP|Sao Tome and Principe|São Tomé and Príncipe
SAU|Saudi Arabia
SEN|Senegal
SRB|Serbia
SYC|Seychelles
SLE|Sierra Leone
SGP|Singapore
SVK|Slovakia
SVN|Slovenia
SLB|Solomon Islands
SOM|Somalia
ZAF|South Africa
SSD|South Sudan
ESP|Spain
LKA|Sri Lanka
SDN|Sudan
SUR|Suriname
SWE|Sweden
CHE|Switzerland
SYR|Syrian Arab Republic|Syria
TJK|Tajikistan
THA|Thailand
TLS|Timor-Leste
TGO|Togo
TON|Tonga
TTO|Trinidad and Tobago
TUN|Tunisia
TUR|Türkiye|Turkey
TKM|Turkmenistan
TUV|Tuvalu
UGA|Uganda
UKR|Ukraine
ARE|United Arab Emirates
GBR|United Kingdom of Great Britain and Northern Ireland|United Kingdom|UK
TZA|United Republic of Tanzania|Tanzania
USA|United States of America|United States|USA
URY|Uruguay
UZB|Uzbekistan
VUT|Vanuatu
VEN|Venezuela|Venezuela (Bolivarian Republic of)|Bolivarian Republic of Venezuela
VNM|Viet Nam|Vietnam
YEM|Yemen
ZMB|Zambia
ZWE|Zimbabwe
VAT|Holy See
PSE|State of Palestine|Palestine
`;

/** Case-, apostrophe- and article-insensitive key for country-name lookups. */
export function countryKey(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[‘’ʼ`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/^the /, '');
}

const BY_NAME = new Map<string, string>();
const CANONICAL = new Map<string, string>();
for (const line of TABLE.split('\n')) {
  const [code, ...names] = line.split('|');
  if (!code || names.length === 0) continue;
  CANONICAL.set(code, names[0]!);
  for (const name of names) BY_NAME.set(countryKey(name), code);
}

/** ISO 3166-1 alpha-3 code for a UN member/observer name or common variant, or null if unknown. */
export function iso3ForCountry(name: string): string | null {
  return BY_NAME.get(countryKey(name)) ?? null;
}

/** The table's main English name for an ISO alpha-3 code (e.g. "BLR" → "Belarus"), or null. */
export function countryForIso3(code: string): string | null {
  return CANONICAL.get(code.toUpperCase()) ?? null;
}

/** True when `name` is a State name the table knows. */
export function isKnownCountry(name: string): boolean {
  return BY_NAME.has(countryKey(name));
}
