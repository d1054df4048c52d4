"""Names, programmes, skills and the rubric of the synthetic cohort (French, UTBM-like)."""

from __future__ import annotations

from dataclasses import dataclass

FEMALE_FIRST_NAMES = (
    "Camille", "Léa", "Chloé", "Inès", "Manon", "Emma", "Jade", "Louise", "Zoé", "Élise",
    "Anaïs", "Maëlle", "Océane", "Clémence", "Héloïse", "Noémie", "Aurélie", "Yasmine",
    "Salomé", "Amira", "Fatima", "Nour", "Lina", "Sarah", "Mélissa", "Aïcha", "Fatoumata",
    "Awa", "Mariam", "Linh", "Mai", "Ayşe", "Elif", "Zeynep", "Ana", "Inês", "Beatriz",
    "Giulia", "Sofia", "Marta", "Agnieszka", "Hélène", "Cécile", "Margaux", "Juliette",
    "Pauline", "Justine", "Laëtitia", "Gaëlle", "Maëva", "Émilie", "Lucie", "Mathilde",
    "Charlotte", "Alice", "Romane", "Capucine", "Clara", "Eva", "Lola", "Ambre", "Rose",
    "Anne-Sophie", "Marie-Lou", "Sixtine", "Bérénice", "Ophélie", "Solène", "Maïwenn",
    "Léonie", "Agathe", "Apolline", "Kenza", "Sana", "Imane", "Rania", "Khadija", "Aminata",
    "Bintou", "Thi Hoa", "Hương", "Oksana", "Daria", "Irène", "Estelle", "Mélodie", "Naïma",
)

MALE_FIRST_NAMES = (
    "Lucas", "Hugo", "Théo", "Louis", "Nathan", "Mathis", "Léo", "Enzo", "Gabriel", "Raphaël",
    "Arthur", "Jules", "Maël", "Noé", "Timothée", "Benoît", "Jérôme", "Amaury", "Clément",
    "Antoine", "Maxime", "Quentin", "Romain", "Thibault", "Valentin", "Adrien", "Baptiste",
    "Corentin", "Florian", "Kévin", "Loïc", "Yanis", "Rayan", "Karim", "Mehdi", "Youssef",
    "Amine", "Bilal", "Ilyès", "Sofiane", "Hamza", "Moussa", "Mamadou", "Ibrahima", "Ousmane",
    "Kofi", "Emre", "Mehmet", "Burak", "Thanh", "Minh", "Đức", "João", "Tiago", "Rui", "Luca",
    "Matteo", "Piotr", "Jérémie", "Grégoire", "Aurélien", "Cédric", "Sébastien", "Stéphane",
    "Joël", "Noël", "Anaël", "Élie", "Côme", "Jean-Baptiste", "Pierre-Louis", "Étienne",
    "François", "Aymeric", "Gaëtan", "Hervé", "Mathéo", "Nolan", "Evan", "Tom", "Axel",
    "Bastien", "Damien", "Dylan", "Samuel", "Idriss", "Anis", "Walid", "Souleymane", "Malik",
)

LAST_NAMES = (
    "Girardot", "Jeannin", "Bourgeois", "Mougin", "Vuillemin", "Perrin", "Faivre", "Cuenot",
    "Courvoisier", "Grosjean", "Bouveresse", "Roussel", "Lamboley", "Grandjean", "Jacquot",
    "Monnier", "Boillot", "Tissot", "Cuenin", "Droz", "Gauthier", "Simonin", "Nicolet",
    "Petitjean", "Ménétrier", "Prêtre", "Vernier", "Clerc", "Renaud", "Pétrequin", "Jeanningros",
    "Vuillaume", "Mairot", "Bôle", "Cattin", "Parrenin", "Billod", "Saulnier", "Huguenin",
    "Martin", "Bernard", "Dubois", "Thomas", "Richard", "Petit", "Durand", "Leroy", "Moreau",
    "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "Fournier", "Lambert", "Fontaine",
    "Rousseau", "Vincent", "Mercier", "Faure", "André", "Blanc", "Guérin", "Boyer",
    "Chevalier", "François", "Gérard", "Roux", "Bonnet", "Dupont", "Lemaire", "Béranger",
    "Hélias", "Lefebvre", "Barbier", "Brunet", "Caron", "Noël", "Régnier", "Aubert",
    "Muller", "Schmitt", "Meyer", "Weber", "Koenig", "Herzog", "Schneider", "Klein", "Wolff",
    "Fischer", "Hoffmann", "Zimmermann", "Kieffer", "Haenel", "Lopes", "Ferreira", "Pereira",
    "Da Silva", "Dos Santos", "Rodrigues", "Gonçalves", "Carvalho", "Fernandes", "Benali",
    "Haddad", "Bensaïd", "Belkacem", "Cherif", "Mansouri", "Boudjemaa", "Zeroual", "Kaddour",
    "Amrani", "El Idrissi", "Benmoussa", "Ouali", "Saïdi", "Bouzid", "Hamidi", "Diallo",
    "Traoré", "Koné", "Camara", "Ndiaye", "Diop", "Mbemba", "Sow", "Touré", "Yılmaz", "Kaya",
    "Demir", "Çelik", "Öztürk", "Aydın", "Nguyen", "Tran", "Pham", "Lê", "Võ", "Hoàng",
    "Rossi", "Bianchi", "Russo", "Ferraro", "Colombo", "Esposito", "Kowalski", "Nowak",
    "Wiśniewski", "Lewandowski", "Popescu", "Ionescu", "Kovačević", "Horvat", "Ortiz",
    "Sánchez", "Martínez",
)


@dataclass(frozen=True)
class ProgrammeSpec:
    """A study programme: its share of students, years and typical skills and themes."""

    name: str
    share: float
    years: tuple[int, ...]
    skills: tuple[str, ...]
    themes: tuple[str, ...]


SKILLS = (
    "Python", "Java", "Développement web", "Développement mobile", "Data science",
    "Intelligence artificielle", "Cybersécurité", "Réseaux et télécoms", "Systèmes embarqués",
    "Électronique", "Électrotechnique", "Automatisme", "Robotique", "Objets connectés", "CAO",
    "Simulation numérique", "Mécanique des fluides", "Thermique", "Matériaux", "Impression 3D",
    "Usinage", "Hydrogène", "Énergies renouvelables", "Design thinking", "UX", "Ergonomie",
    "Design produit", "Gestion de projet", "Marketing", "Communication", "Business plan",
    "Lean management", "Logistique", "Analyse du cycle de vie",
)

PROGRAMMES = (
    ProgrammeSpec(
        "Tronc commun", 0.26, (1, 2),
        ("Python", "CAO", "Impression 3D", "Design thinking", "Communication", "Électronique"),
        ("environnement", "territoire", "design", "numerique"),
    ),
    ProgrammeSpec(
        "Informatique", 0.16, (3, 4, 5),
        ("Python", "Java", "Développement web", "Développement mobile", "Data science",
         "Intelligence artificielle", "Cybersécurité", "Réseaux et télécoms", "UX"),
        ("numerique", "sante", "territoire"),
    ),
    ProgrammeSpec(
        "Énergie", 0.12, (3, 4, 5),
        ("Thermique", "Hydrogène", "Énergies renouvelables", "Électrotechnique",
         "Simulation numérique", "Mécanique des fluides", "Analyse du cycle de vie"),
        ("energie", "environnement", "mobilite"),
    ),
    ProgrammeSpec(
        "Mécanique", 0.11, (3, 4, 5),
        ("CAO", "Simulation numérique", "Matériaux", "Usinage", "Mécanique des fluides",
         "Impression 3D", "Thermique"),
        ("mobilite", "industrie", "design"),
    ),
    ProgrammeSpec(
        "Génie industriel", 0.10, (3, 4, 5),
        ("Lean management", "Logistique", "Gestion de projet", "Data science", "Automatisme",
         "Analyse du cycle de vie"),
        ("industrie", "environnement", "mobilite"),
    ),
    ProgrammeSpec(
        "Mécatronique", 0.07, (3, 4, 5),
        ("Robotique", "Automatisme", "Systèmes embarqués", "Électronique", "CAO", "Python"),
        ("industrie", "mobilite", "sante"),
    ),
    ProgrammeSpec(
        "Ergonomie, design et ingénierie mécanique", 0.07, (3, 4, 5),
        ("Design produit", "Ergonomie", "UX", "CAO", "Design thinking", "Impression 3D"),
        ("design", "sante", "territoire"),
    ),
    ProgrammeSpec(
        "Systèmes embarqués", 0.05, (4, 5),
        ("Systèmes embarqués", "Électronique", "Objets connectés", "Python", "Cybersécurité",
         "Réseaux et télécoms"),
        ("numerique", "energie", "industrie"),
    ),
    ProgrammeSpec(
        "Génie électrique", 0.04, (3, 4, 5),
        ("Électrotechnique", "Électronique", "Énergies renouvelables", "Automatisme",
         "Hydrogène", "Systèmes embarqués"),
        ("energie", "mobilite", "industrie"),
    ),
    ProgrammeSpec(
        "Management de projet", 0.02, (4, 5),
        ("Gestion de projet", "Marketing", "Business plan", "Communication",
         "Design thinking", "Lean management"),
        ("territoire", "environnement", "sante"),
    ),
)


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    label_fr: str
    label_en: str
    weight: float


CRITERIA = (
    CriterionSpec("innovation", "Innovation", "Innovation", 0.25),
    CriterionSpec("faisabilite", "Faisabilité", "Feasibility", 0.20),
    CriterionSpec("impact", "Impact pour le territoire", "Impact for the region", 0.20),
    CriterionSpec("prototype", "Qualité du prototype", "Prototype quality", 0.20),
    CriterionSpec("pitch", "Pitch", "Pitch", 0.15),
)

# Job titles as (feminine, masculine), chosen to agree with the jury's first name.
JURY_JOBS = (
    ("Responsable innovation", "Responsable innovation"),
    ("Ingénieure R&D", "Ingénieur R&D"),
    ("Cheffe de projet", "Chef de projet"),
    ("Directrice technique", "Directeur technique"),
    ("Directrice de site", "Directeur de site"),
    ("Chargée de mission", "Chargé de mission"),
    ("Designer industrielle", "Designer industriel"),
    ("Data scientist", "Data scientist"),
    ("Responsable méthodes", "Responsable méthodes"),
    ("Architecte logicielle", "Architecte logiciel"),
    ("Acheteuse innovation", "Acheteur innovation"),
)

LAB_JOBS = (
    ("Chercheuse", "Chercheur"),
    ("Ingénieure de recherche", "Ingénieur de recherche"),
    ("Doctorante", "Doctorant"),
)

STAFF_JOBS = (
    ("Enseignante-chercheuse à l'UTBM", "Enseignant-chercheur à l'UTBM"),
    ("Responsable de l'openlab de l'UTBM", "Responsable de l'openlab de l'UTBM"),
    ("Chargée de valorisation à l'UTBM", "Chargé de valorisation à l'UTBM"),
    ("Ingénieure pédagogique à l'UTBM", "Ingénieur pédagogique à l'UTBM"),
)
