"""The UN's names of treaty participants, in English and French, current and former.

Data only; :mod:`tracker.countries` builds the lookups from it. Each row is
``(code, current English short name, current French short name, other names)``. The current
names are the UN short names (UNTERM / the UN Protocol list); the other names are the forms
the UN Treaty Collection has used before or uses alongside ("St. Lucia", "Turkey",
"Swaziland"), French forms included. Accents are not needed in the other names: lookups also
try an accent-free key. A name must belong to one code only (the tests check it).

French forms marked ``# FR?`` are written from memory of UN usage and not confirmed against a
UN source; they are still looked up, and any other spelling is easy to add here.
"""

from __future__ import annotations

from typing import NamedTuple


class UNName(NamedTuple):
    """The UN's names of one participant."""

    code: str
    en: str
    fr: str
    aliases: tuple[str, ...] = ()


#: The 193 UN member States, in the order of their English short names.
MEMBER_STATES: tuple[UNName, ...] = (
    UNName("AFG", "Afghanistan", "Afghanistan"),
    UNName("ALB", "Albania", "Albanie"),
    UNName("DZA", "Algeria", "Algérie"),
    UNName("AND", "Andorra", "Andorre"),
    UNName("AGO", "Angola", "Angola"),
    UNName("ATG", "Antigua and Barbuda", "Antigua-et-Barbuda"),
    UNName("ARG", "Argentina", "Argentine"),
    UNName("ARM", "Armenia", "Arménie"),
    UNName("AUS", "Australia", "Australie"),
    UNName("AUT", "Austria", "Autriche"),
    UNName("AZE", "Azerbaijan", "Azerbaïdjan"),
    UNName("BHS", "Bahamas", "Bahamas", ("The Bahamas",)),
    UNName("BHR", "Bahrain", "Bahreïn"),
    UNName("BGD", "Bangladesh", "Bangladesh"),
    UNName("BRB", "Barbados", "Barbade"),
    UNName(
        "BLR",
        "Belarus",
        "Bélarus",
        (
            "Byelorussian Soviet Socialist Republic",
            "Byelorussian SSR",
            "Biélorussie",
            "République socialiste soviétique de Biélorussie",
            "RSS de Biélorussie",
        ),
    ),
    UNName("BEL", "Belgium", "Belgique"),
    UNName("BLZ", "Belize", "Belize"),
    UNName("BEN", "Benin", "Bénin", ("Dahomey",)),
    UNName("BTN", "Bhutan", "Bhoutan"),
    UNName(
        "BOL",
        "Bolivia (Plurinational State of)",
        "Bolivie (État plurinational de)",
        ("Bolivia", "Bolivie", "Plurinational State of Bolivia"),
    ),
    UNName("BIH", "Bosnia and Herzegovina", "Bosnie-Herzégovine"),
    UNName("BWA", "Botswana", "Botswana"),
    UNName("BRA", "Brazil", "Brésil"),
    UNName("BRN", "Brunei Darussalam", "Brunéi Darussalam", ("Brunei",)),
    UNName("BGR", "Bulgaria", "Bulgarie"),
    UNName("BFA", "Burkina Faso", "Burkina Faso", ("Upper Volta", "Haute-Volta")),
    UNName("BDI", "Burundi", "Burundi"),
    UNName("CPV", "Cabo Verde", "Cabo Verde", ("Cape Verde", "Cap-Vert")),
    UNName(
        "KHM",
        "Cambodia",
        "Cambodge",
        (
            "Kampuchea",
            "Democratic Kampuchea",
            "Kampuchea démocratique",
            "Khmer Republic",
            "République khmère",
        ),
    ),
    UNName("CMR", "Cameroon", "Cameroun"),
    UNName("CAN", "Canada", "Canada"),
    UNName("CAF", "Central African Republic", "République centrafricaine"),
    UNName("TCD", "Chad", "Tchad"),
    UNName("CHL", "Chile", "Chili"),
    UNName("CHN", "China", "Chine"),
    UNName("COL", "Colombia", "Colombie"),
    UNName("COM", "Comoros", "Comores"),
    UNName("COG", "Congo", "Congo", ("Republic of the Congo",)),
    UNName("CRI", "Costa Rica", "Costa Rica"),
    UNName("CIV", "Côte d'Ivoire", "Côte d'Ivoire", ("Ivory Coast",)),
    UNName("HRV", "Croatia", "Croatie"),
    UNName("CUB", "Cuba", "Cuba"),
    UNName("CYP", "Cyprus", "Chypre"),
    UNName("CZE", "Czechia", "Tchéquie", ("Czech Republic", "République tchèque")),
    UNName(
        "PRK",
        "Democratic People's Republic of Korea",
        "République populaire démocratique de Corée",
        ("North Korea",),
    ),
    UNName(
        "COD",
        "Democratic Republic of the Congo",
        "République démocratique du Congo",
        ("Democratic Republic of Congo", "Zaire", "Zaïre"),
    ),
    UNName("DNK", "Denmark", "Danemark"),
    UNName("DJI", "Djibouti", "Djibouti"),
    UNName("DMA", "Dominica", "Dominique"),
    UNName("DOM", "Dominican Republic", "République dominicaine"),
    UNName("ECU", "Ecuador", "Équateur"),
    UNName("EGY", "Egypt", "Égypte", ("United Arab Republic", "République arabe unie")),
    UNName("SLV", "El Salvador", "El Salvador"),
    UNName("GNQ", "Equatorial Guinea", "Guinée équatoriale"),
    UNName("ERI", "Eritrea", "Érythrée"),
    UNName("EST", "Estonia", "Estonie"),
    UNName("SWZ", "Eswatini", "Eswatini", ("Swaziland", "Kingdom of Eswatini")),
    UNName("ETH", "Ethiopia", "Éthiopie"),
    UNName("FJI", "Fiji", "Fidji"),
    UNName("FIN", "Finland", "Finlande"),
    UNName("FRA", "France", "France"),
    UNName("GAB", "Gabon", "Gabon"),
    UNName("GMB", "Gambia", "Gambie", ("The Gambia",)),
    UNName("GEO", "Georgia", "Géorgie"),
    UNName(
        "DEU",
        "Germany",
        "Allemagne",
        (
            "Federal Republic of Germany",
            "Germany, Federal Republic of",
            "République fédérale d'Allemagne",
        ),
    ),
    UNName("GHA", "Ghana", "Ghana"),
    UNName("GRC", "Greece", "Grèce"),
    UNName("GRD", "Grenada", "Grenade"),
    UNName("GTM", "Guatemala", "Guatemala"),
    UNName("GIN", "Guinea", "Guinée"),
    UNName("GNB", "Guinea-Bissau", "Guinée-Bissau"),
    UNName("GUY", "Guyana", "Guyana"),
    UNName("HTI", "Haiti", "Haïti"),
    UNName("HND", "Honduras", "Honduras"),
    UNName("HUN", "Hungary", "Hongrie"),
    UNName("ISL", "Iceland", "Islande"),
    UNName("IND", "India", "Inde"),
    UNName("IDN", "Indonesia", "Indonésie"),
    UNName(
        "IRN",
        "Iran (Islamic Republic of)",
        "Iran (République islamique d')",
        ("Iran", "Islamic Republic of Iran"),
    ),
    UNName("IRQ", "Iraq", "Iraq"),
    UNName("IRL", "Ireland", "Irlande"),
    UNName("ISR", "Israel", "Israël"),
    UNName("ITA", "Italy", "Italie"),
    UNName("JAM", "Jamaica", "Jamaïque"),
    UNName("JPN", "Japan", "Japon"),
    UNName("JOR", "Jordan", "Jordanie"),
    UNName("KAZ", "Kazakhstan", "Kazakhstan"),
    UNName("KEN", "Kenya", "Kenya"),
    UNName("KIR", "Kiribati", "Kiribati"),
    UNName("KWT", "Kuwait", "Koweït"),
    UNName("KGZ", "Kyrgyzstan", "Kirghizistan"),
    UNName(
        "LAO",
        "Lao People's Democratic Republic",
        "République démocratique populaire lao",
        ("Laos",),
    ),
    UNName("LVA", "Latvia", "Lettonie"),
    UNName("LBN", "Lebanon", "Liban"),
    UNName("LSO", "Lesotho", "Lesotho"),
    UNName("LBR", "Liberia", "Libéria"),
    UNName(
        "LBY",
        "Libya",
        "Libye",
        (
            "Libyan Arab Jamahiriya",
            "Libyan Arab Republic",
            "Jamahiriya arabe libyenne",
        ),
    ),
    UNName("LIE", "Liechtenstein", "Liechtenstein"),
    UNName("LTU", "Lithuania", "Lituanie"),
    UNName("LUX", "Luxembourg", "Luxembourg"),
    UNName("MDG", "Madagascar", "Madagascar"),
    UNName("MWI", "Malawi", "Malawi"),
    UNName("MYS", "Malaysia", "Malaisie"),
    UNName("MDV", "Maldives", "Maldives"),
    UNName("MLI", "Mali", "Mali"),
    UNName("MLT", "Malta", "Malte"),
    UNName("MHL", "Marshall Islands", "Îles Marshall"),
    UNName("MRT", "Mauritania", "Mauritanie"),
    UNName("MUS", "Mauritius", "Maurice"),
    UNName("MEX", "Mexico", "Mexique"),
    UNName(
        "FSM",
        "Micronesia (Federated States of)",
        "Micronésie (États fédérés de)",
        ("Micronesia", "Micronésie", "Federated States of Micronesia"),
    ),
    UNName("MCO", "Monaco", "Monaco"),
    UNName("MNG", "Mongolia", "Mongolie"),
    UNName("MNE", "Montenegro", "Monténégro"),
    UNName("MAR", "Morocco", "Maroc"),
    UNName("MOZ", "Mozambique", "Mozambique"),
    UNName("MMR", "Myanmar", "Myanmar", ("Burma", "Birmanie")),
    UNName("NAM", "Namibia", "Namibie"),
    UNName("NRU", "Nauru", "Nauru"),
    UNName("NPL", "Nepal", "Népal"),
    UNName(
        "NLD",
        "Netherlands (Kingdom of the)",
        "Pays-Bas (Royaume des)",
        ("Netherlands", "Pays-Bas", "Kingdom of the Netherlands", "Royaume des Pays-Bas"),
    ),
    UNName("NZL", "New Zealand", "Nouvelle-Zélande"),
    UNName("NIC", "Nicaragua", "Nicaragua"),
    UNName("NER", "Niger", "Niger"),
    UNName("NGA", "Nigeria", "Nigéria"),
    UNName(
        "MKD",
        "North Macedonia",
        "Macédoine du Nord",
        (
            "The former Yugoslav Republic of Macedonia",
            "former Yugoslav Republic of Macedonia",
            "ex-République yougoslave de Macédoine",
            "Macedonia",
            "Republic of North Macedonia",
        ),
    ),
    UNName("NOR", "Norway", "Norvège"),
    UNName("OMN", "Oman", "Oman"),
    UNName("PAK", "Pakistan", "Pakistan"),
    UNName("PLW", "Palau", "Palaos"),
    UNName("PAN", "Panama", "Panama"),
    UNName("PNG", "Papua New Guinea", "Papouasie-Nouvelle-Guinée"),
    UNName("PRY", "Paraguay", "Paraguay"),
    UNName("PER", "Peru", "Pérou"),
    UNName("PHL", "Philippines", "Philippines"),
    UNName("POL", "Poland", "Pologne"),
    UNName("PRT", "Portugal", "Portugal"),
    UNName("QAT", "Qatar", "Qatar"),
    UNName("KOR", "Republic of Korea", "République de Corée", ("South Korea",)),
    UNName(
        "MDA",
        "Republic of Moldova",
        "République de Moldova",
        ("Moldova", "Moldavie", "République de Moldavie"),
    ),
    UNName("ROU", "Romania", "Roumanie", ("Rumania",)),
    UNName("RUS", "Russian Federation", "Fédération de Russie", ("Russia", "Russie")),
    UNName("RWA", "Rwanda", "Rwanda"),
    UNName(
        "KNA",
        "Saint Kitts and Nevis",
        "Saint-Kitts-et-Nevis",
        (
            "St. Kitts and Nevis",
            "Saint Christopher and Nevis",
            "St. Christopher and Nevis",
            "Saint-Christophe-et-Nevis",  # FR? (older UN French form)
        ),
    ),
    UNName("LCA", "Saint Lucia", "Sainte-Lucie", ("St. Lucia",)),
    UNName(
        "VCT",
        "Saint Vincent and the Grenadines",
        "Saint-Vincent-et-les Grenadines",
        ("St. Vincent and the Grenadines", "Saint-Vincent-et-les-Grenadines"),
    ),
    UNName("WSM", "Samoa", "Samoa", ("Western Samoa", "Samoa-Occidental")),
    UNName("SMR", "San Marino", "Saint-Marin"),
    UNName(
        "STP",
        "Sao Tome and Principe",
        "Sao Tomé-et-Principe",
        ("São Tomé and Príncipe", "Sao Tomé-et-Príncipe"),
    ),
    UNName("SAU", "Saudi Arabia", "Arabie saoudite"),
    UNName("SEN", "Senegal", "Sénégal"),
    UNName("SRB", "Serbia", "Serbie"),
    UNName("SYC", "Seychelles", "Seychelles"),
    UNName("SLE", "Sierra Leone", "Sierra Leone"),
    UNName("SGP", "Singapore", "Singapour"),
    UNName("SVK", "Slovakia", "Slovaquie"),
    UNName("SVN", "Slovenia", "Slovénie"),
    UNName("SLB", "Solomon Islands", "Îles Salomon"),
    UNName("SOM", "Somalia", "Somalie"),
    UNName("ZAF", "South Africa", "Afrique du Sud"),
    UNName("SSD", "South Sudan", "Soudan du Sud"),
    UNName("ESP", "Spain", "Espagne"),
    UNName("LKA", "Sri Lanka", "Sri Lanka", ("Ceylon", "Ceylan")),
    UNName("SDN", "Sudan", "Soudan"),
    UNName("SUR", "Suriname", "Suriname", ("Surinam",)),
    UNName("SWE", "Sweden", "Suède"),
    UNName("CHE", "Switzerland", "Suisse"),
    UNName("SYR", "Syrian Arab Republic", "République arabe syrienne", ("Syria", "Syrie")),
    UNName("TJK", "Tajikistan", "Tadjikistan"),
    UNName("THA", "Thailand", "Thaïlande", ("Siam",)),
    UNName("TLS", "Timor-Leste", "Timor-Leste", ("East Timor", "Timor oriental")),
    UNName("TGO", "Togo", "Togo"),
    UNName("TON", "Tonga", "Tonga"),
    UNName("TTO", "Trinidad and Tobago", "Trinité-et-Tobago"),
    UNName("TUN", "Tunisia", "Tunisie"),
    UNName("TUR", "Türkiye", "Türkiye", ("Turkey", "Turquie", "Republic of Türkiye")),
    UNName("TKM", "Turkmenistan", "Turkménistan"),
    UNName("TUV", "Tuvalu", "Tuvalu"),
    UNName("UGA", "Uganda", "Ouganda"),
    UNName(
        "UKR",
        "Ukraine",
        "Ukraine",
        (
            "Ukrainian Soviet Socialist Republic",
            "Ukrainian SSR",
            "République socialiste soviétique d'Ukraine",
            "RSS d'Ukraine",
        ),
    ),
    UNName("ARE", "United Arab Emirates", "Émirats arabes unis"),
    UNName(
        "GBR",
        "United Kingdom of Great Britain and Northern Ireland",
        "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        ("United Kingdom", "Royaume-Uni"),
    ),
    UNName(
        "TZA",
        "United Republic of Tanzania",
        "République-Unie de Tanzanie",
        ("Tanzania", "Tanzanie", "Tanganyika"),
    ),
    UNName(
        "USA",
        "United States of America",
        "États-Unis d'Amérique",
        ("United States", "États-Unis"),
    ),
    UNName("URY", "Uruguay", "Uruguay"),
    UNName("UZB", "Uzbekistan", "Ouzbékistan"),
    UNName("VUT", "Vanuatu", "Vanuatu"),
    UNName(
        "VEN",
        "Venezuela (Bolivarian Republic of)",
        "Venezuela (République bolivarienne du)",
        ("Venezuela", "Bolivarian Republic of Venezuela"),
    ),
    UNName("VNM", "Viet Nam", "Viet Nam", ("Vietnam", "Viêt Nam")),
    UNName("YEM", "Yemen", "Yémen", ("Yemen Arab Republic", "République arabe du Yémen")),
    UNName("ZMB", "Zambia", "Zambie"),
    UNName("ZWE", "Zimbabwe", "Zimbabwe"),
)

#: Participants in UN treaties that are not UN member States.
NON_MEMBERS: tuple[UNName, ...] = (
    UNName(
        "VAT",
        "Holy See",
        "Saint-Siège",
        ("Holy See (Vatican City State)", "Vatican City State", "Vatican"),
    ),
    UNName("PSE", "State of Palestine", "État de Palestine", ("Palestine",)),
    UNName("COK", "Cook Islands", "Îles Cook"),
    UNName("NIU", "Niue", "Nioué", ("Nioue",)),  # FR? "Nioué" as in UN French lists
    UNName(
        "EUU",
        "European Union",
        "Union européenne",
        (
            "European Community",
            "European Economic Community",
            "Communauté européenne",
            "Communauté économique européenne",
        ),
    ),
    # Not a participant in UN treaties deposited with the Secretary-General; listed so that a
    # user can name it. XKX is the code the European Commission and the World Bank use.
    UNName("XKX", "Kosovo", "Kosovo"),
)

#: Former participants that have no successor under the same name, coded by ISO 3166-3.
#: Renamed States (Burma, Zaire, Byelorussian SSR ...) are not here: they keep their
#: current code (see the aliases above), because a rename is not a new participant.
HISTORIC: tuple[UNName, ...] = (
    UNName(
        "CSK",
        "Czechoslovakia",
        "Tchécoslovaquie",
        ("Czechoslovak Socialist Republic", "Czech and Slovak Federal Republic"),
    ),
    UNName(
        "DDR",
        "German Democratic Republic",
        "République démocratique allemande",
        ("East Germany",),
    ),
    UNName(
        "SUN",
        "Union of Soviet Socialist Republics",
        "Union des Républiques socialistes soviétiques",
        ("USSR", "URSS", "Soviet Union", "Union soviétique"),
    ),
    UNName(
        "YUG",
        "Yugoslavia",
        "Yougoslavie",
        (
            "Yugoslavia (former)",
            "Yougoslavie (ex-)",  # FR? form of "Yugoslavia (former)"
            "ex-Yougoslavie",
            "Socialist Federal Republic of Yugoslavia",
            "République fédérative socialiste de Yougoslavie",
            "Federal Republic of Yugoslavia",
            "République fédérale de Yougoslavie",
        ),
    ),
    UNName("SCG", "Serbia and Montenegro", "Serbie-et-Monténégro", ("Serbie-Monténégro",)),
    UNName(
        "YMD",
        "Democratic Yemen",
        "Yémen démocratique",
        ("People's Democratic Republic of Yemen", "South Yemen"),
    ),
)

#: ISO codes of renamed States (ISO 3166-3 and withdrawn alpha-2) -> the participant code.
RENAMED_CODES: dict[str, str] = {
    "BUR": "MMR",
    "BU": "MMR",
    "BYS": "BLR",
    "ZAR": "COD",
    "ZR": "COD",
    "DHY": "BEN",
    "DY": "BEN",
    "HVO": "BFA",
    "HV": "BFA",
    "TMP": "TLS",
    "TP": "TLS",
}

#: Codes that are not ISO 3166-1 or 3166-3 alpha-3 codes -> the two-letter code to show.
NON_ISO_ALPHA2: dict[str, str] = {
    "EUU": "EU",  # exceptionally reserved in ISO 3166-1 for the European Union
    "XKX": "XK",  # user-assigned; used for Kosovo by the European Commission and others
}

ALL: tuple[UNName, ...] = MEMBER_STATES + NON_MEMBERS + HISTORIC
