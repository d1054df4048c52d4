"""Organisations of the Nord Franche-Comté that post challenges and lend juries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrganisationSpec:
    """`weight` is how many challenges an actor tends to post relative to the others."""

    name: str
    kind: str
    sector: str
    city: str
    themes: tuple[str, ...]
    weight: float = 1.0


ORGANISATIONS = (
    OrganisationSpec("GE Vernova", "company", "Énergie et turbines", "Belfort",
                     ("energie", "industrie", "numerique"), 3.0),
    OrganisationSpec("Alstom", "company", "Ferroviaire", "Belfort",
                     ("mobilite", "industrie", "energie"), 3.0),
    OrganisationSpec("Stellantis", "company", "Automobile", "Sochaux",
                     ("mobilite", "industrie", "design"), 3.0),
    OrganisationSpec("Forvia (Faurecia)", "company", "Équipement automobile", "Bavans",
                     ("mobilite", "energie", "design"), 2.5),
    OrganisationSpec("Orange", "company", "Télécommunications", "Belfort",
                     ("numerique", "territoire", "sante"), 2.0),
    OrganisationSpec("Lisi Automotive", "company", "Fixations et composants", "Delle",
                     ("industrie", "mobilite"), 2.0),
    OrganisationSpec("H2SYS", "company", "Piles à combustible", "Sevenans",
                     ("energie", "mobilite"), 1.5),
    OrganisationSpec("McPhy Energy", "company", "Électrolyseurs", "Belfort",
                     ("energie", "industrie"), 1.5),
    OrganisationSpec("Peugeot Motocycles", "company", "Deux-roues", "Mandeure",
                     ("mobilite", "design"), 1.2),
    OrganisationSpec("Cristel", "company", "Ustensiles de cuisine", "Fesches-le-Châtel",
                     ("design", "industrie", "environnement"), 1.0),
    OrganisationSpec("Viellard Migeon et Cie", "company", "Métallurgie", "Morvillars",
                     ("industrie", "environnement"), 0.8),
    OrganisationSpec("Delfingen", "company", "Protection de câbles", "Anteuil",
                     ("industrie", "mobilite"), 0.8),
    OrganisationSpec("Enedis", "company", "Distribution d'électricité", "Belfort",
                     ("energie", "territoire", "numerique"), 1.2),
    OrganisationSpec("Néolia", "company", "Logement social", "Montbéliard",
                     ("territoire", "energie", "sante"), 0.8),
    OrganisationSpec("Territoire Habitat", "company", "Logement social", "Belfort",
                     ("territoire", "environnement"), 0.8),
    OrganisationSpec("Pays de Montbéliard Agglomération", "public_body", "Collectivité",
                     "Montbéliard", ("territoire", "mobilite", "environnement"), 2.0),
    OrganisationSpec("Grand Belfort", "public_body", "Collectivité", "Belfort",
                     ("territoire", "environnement", "mobilite"), 2.0),
    OrganisationSpec("Département du Territoire de Belfort", "public_body", "Collectivité",
                     "Belfort", ("territoire", "sante", "numerique"), 1.0),
    OrganisationSpec("Ville de Montbéliard", "public_body", "Collectivité", "Montbéliard",
                     ("territoire", "environnement"), 0.8),
    OrganisationSpec("Optymo", "public_body", "Transport public", "Belfort",
                     ("mobilite", "numerique", "territoire"), 1.5),
    OrganisationSpec("Hôpital Nord Franche-Comté", "public_body", "Santé", "Trévenans",
                     ("sante", "numerique", "design"), 2.0),
    OrganisationSpec("SEM Tandem", "public_body", "Aménagement", "Belfort",
                     ("territoire", "industrie"), 1.0),
    OrganisationSpec("CCI Territoire de Belfort", "public_body", "Chambre consulaire",
                     "Belfort", ("industrie", "territoire"), 0.8),
    OrganisationSpec("SYTEVOM", "public_body", "Traitement des déchets", "Noidans-le-Ferroux",
                     ("environnement",), 0.8),
    OrganisationSpec("UTBM", "public_body", "Enseignement supérieur", "Sevenans",
                     ("territoire", "environnement", "numerique"), 1.0),
    OrganisationSpec("FEMTO-ST", "lab", "Recherche en sciences de l'ingénieur", "Belfort",
                     ("energie", "industrie", "sante"), 1.5),
    OrganisationSpec("FCLAB", "lab", "Recherche sur les piles à combustible", "Belfort",
                     ("energie", "mobilite"), 1.2),
    OrganisationSpec("Laboratoire CIAD", "lab", "Intelligence artificielle", "Belfort",
                     ("numerique", "mobilite"), 1.0),
    OrganisationSpec("Laboratoire ELLIADD", "lab", "Design et usages du numérique",
                     "Montbéliard", ("design", "numerique"), 0.8),
    OrganisationSpec("Laboratoire ICB", "lab", "Matériaux et procédés", "Sevenans",
                     ("industrie", "design"), 0.8),
    OrganisationSpec("Openlab UTBM", "lab", "Prototypage et fabrication", "Belfort",
                     ("design", "industrie"), 1.0),
    OrganisationSpec("Pôle Véhicule du Futur", "association", "Cluster automobile", "Étupes",
                     ("mobilite", "industrie"), 1.5),
    OrganisationSpec("Vallée de l'Énergie", "association", "Cluster énergie", "Belfort",
                     ("energie", "industrie"), 1.5),
    OrganisationSpec("Numerica", "association", "Pôle numérique", "Montbéliard",
                     ("numerique", "territoire"), 1.0),
    OrganisationSpec("Territoire de Musique (Eurockéennes)", "association", "Culture",
                     "Belfort", ("environnement", "territoire"), 0.8),
    OrganisationSpec("FIMU Belfort", "association", "Festival", "Belfort",
                     ("territoire", "environnement"), 0.6),
    OrganisationSpec("Le Moloco", "association", "Musiques actuelles", "Audincourt",
                     ("territoire", "design"), 0.5),
    OrganisationSpec("ADAPEI du Territoire de Belfort", "association", "Handicap",
                     "Belfort", ("sante", "design"), 0.8),
    OrganisationSpec("La Ressourcerie du Pays de Montbéliard", "association",
                     "Réemploi", "Audincourt", ("environnement", "design"), 0.8),
    OrganisationSpec("Restos du Cœur du Territoire de Belfort", "association",
                     "Solidarité", "Belfort", ("sante", "territoire"), 0.5),
)
