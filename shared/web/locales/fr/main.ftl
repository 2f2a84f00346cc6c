app-name = Ordo
app-tagline = Gestion électronique des courriers
skip-to-content = Aller au contenu
language-label = Langue
lang-fr = Français
lang-ar = العربية
lang-en = English

nav-home = Accueil
nav-operator = Agence opératrice
nav-sign-out = Se déconnecter
signed-in-as = Connecté : { $name }

login-title = Connexion
login-intro = Connectez-vous avec le compte que votre administration vous a remis.
login-administration = Administration (code)
login-administration-hint = Par exemple MMG. Laissez vide pour l'agence opératrice.
login-login = Identifiant
login-password = Mot de passe
login-submit = Se connecter

home-title = Accueil
home-welcome = Bienvenue, { $name }.
home-administration = Administration
home-roles = Vos rôles
home-units = Entités de l'administration
home-unit-bureau = bureau d'ordre
home-next = Les registres, l'imputation et le suivi des courriers arrivent ici.

operator-title = Agence opératrice
operator-tenants = Administrations hébergées
operator-count = { $count ->
    [0] Aucune administration.
    [one] Une administration.
   *[other] { $count } administrations.
}
col-code = Code
col-name = Nom
col-time-zone = Fuseau horaire
col-status = État
col-created = Créée le
col-kind = Nature
status-active = active
status-suspended = suspendue

role-tenant_admin = Administrateur de l'administration
role-bureau_ordre = Agent du bureau d'ordre
role-unit_head = Chef de service
role-agent = Agent
role-signatory = Signataire
role-auditor = Auditeur

unit-central = Services centraux
unit-directorate = Direction
unit-service = Service
unit-decentralised = Service déconcentré

error-title = Une erreur est survenue
error-back = Revenir à l'accueil
error-not_found = Cette page n'existe pas ou vous n'y avez pas accès.
error-unauthenticated = Veuillez vous connecter.
error-forbidden = Vous n'avez pas le droit de faire cette action.
error-invalid_input = Certaines valeurs ne sont pas valables.
error-csrf_rejected = Le formulaire a expiré. Rechargez la page et recommencez.
error-invalid_credentials = Identifiant ou mot de passe incorrect.
error-account_locked = Trop d'essais infructueux : ce compte est bloqué pendant 15 minutes.
error-tenant_suspended = Cette administration est suspendue : la connexion est refusée. Contactez l'agence opératrice.
error-conflict = Cette valeur existe déjà.
error-payload_too_large = Le fichier ou le formulaire est trop volumineux.
error-unavailable = Le service est momentanément indisponible. Réessayez dans quelques instants : rien de ce qui a été enregistré n'est perdu.
error-internal = Une erreur inattendue est survenue. Elle a été consignée ; réessayez dans quelques instants.

field-request = Requête
field-code = Code
field-name-fr = Nom (français)
field-name-ar = Nom (arabe)
field-name-en = Nom (anglais)
field-time-zone = Fuseau horaire
field-login = Identifiant
field-password = Mot de passe
field-roles = Rôles
field-status = État
field-kind = Nature

invalid-required = { $field } : ce champ est obligatoire.
invalid-too-short = { $field } : au moins { $min } caractères.
invalid-too-long = { $field } : au plus { $max } caractères.
invalid-bad-characters = { $field } : contient des caractères non autorisés.
invalid-unknown-time-zone = { $field } : fuseau horaire inconnu (exemple : Africa/Conakry).
invalid-unknown-value = { $field } : valeur inconnue.

nav-registers = Registres
registers-title = Registres du bureau d'ordre
register-new = Nouveau courrier
register-next = Enregistrer le suivant
register-submit = Enregistrer
register-year = Registre { $year }
register-count = { $count ->
    [0] Aucun courrier enregistré.
    [one] Un courrier enregistré.
   *[other] { $count } courriers enregistrés.
}
form-has-errors = Le formulaire contient des erreurs : corrigez les champs signalés.
direction-incoming = Arrivée
direction-outgoing = Départ
direction-internal = Interne
nature-letter = Lettre
nature-request = Demande
nature-invoice = Facture
nature-note = Note
nature-circular = Circulaire
nature-decree = Décret ou arrêté
nature-report = Rapport
nature-other = Autre
channel-counter = Guichet
channel-post = Poste
channel-email = Courriel
channel-portal = Portail en ligne
channel-exchange = Échange entre administrations
priority-normal = Normale
priority-urgent = Urgente
priority-very_urgent = Très urgente
confidentiality-normal = Normale
confidentiality-confidential = Confidentiel
confidentiality-secret = Secret
status-item-draft = brouillon
status-item-registered = enregistré
status-item-cancelled = annulé
item-registered-notice = Courrier enregistré. Inscrivez ce numéro sur l'original papier.
item-registered-at = enregistré le { $at }
item-timeline = Historique
action-item-registered = Enregistrement
action-item-viewed = Consultation
action-tenant-created = Création de l'administration
col-number = Numéro
col-registered = Enregistré le
field-sender = Expéditeur
field-subject = Objet
field-recipient = Destinataire
field-letter-date = Date de la lettre
field-nature = Nature
field-channel = Canal de réception
field-priority = Priorité
field-confidentiality = Confidentialité
field-keywords = Mots-clés
field-paper-location = Emplacement de l'original papier
field-number-format = Format de numérotation
field-direction = Sens
invalid-not-a-date = { $field } : date invalide (format attendu : AAAA-MM-JJ).
invalid-in-future = { $field } : la date ne peut pas être dans le futur.

field-document = Document principal (scan ou lettre)
field-attachments = Pièces jointes
register-document-hint = PDF, JPEG, PNG ou TIFF, 50 Mo au plus par fichier.
item-documents = Documents
document-main = document principal
document-download = Télécharger
col-file = Fichier
col-size = Taille
col-fingerprint = Empreinte SHA-256
action-document-viewed = Consultation d'un document
action-document-downloaded = Téléchargement d'un document
invalid-empty-file = { $field } : le fichier est vide.
invalid-file-too-large = { $field } : le fichier dépasse { $max } Mo.
invalid-file-type-not-allowed = { $field } : seuls les PDF, JPEG, PNG et TIFF sont acceptés.
invalid-file-type-mismatch = { $field } : le contenu du fichier ne correspond pas à son type ou à son extension.

slip-title = Bordereau d'enregistrement
slip-qr = Code QR du numéro d'enregistrement
slip-back = Revenir au courrier
slip-print-hint = Imprimez cette page (Ctrl+P) et agrafez-la à l'original.
register-export-csv = Exporter en CSV
action-register-exported = Export du registre

invalid-too-many-files = { $field } : au plus { $max } fichiers par courrier.
field-idempotency-key = En-tête Idempotency-Key
