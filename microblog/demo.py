"""The demo community and vocabulary: seed_demo creates them, the benchmarks sign in and
write with them."""

DEMO_PASSWORD = "microblog-demo"

DEMO_USERS = {
    "susan": "Gardener, reader, occasional baker.",
    "john": "I write code and drink too much coffee.",
    "maria": "Fotógrafa en Madrid. Me encanta viajar.",
    "carlos": "Estudiante de ingeniería y fan del fútbol.",
    "ana": "Bilingual teacher: English and Spanish.",
}
# Newest first, as the explore page lists them.
DEMO_POSTS = [
    ("susan", "The tomatoes finally turned red this morning. Summer is officially here!"),
    (
        "john",
        "Spent the whole afternoon chasing a bug that turned out to be a missing comma.",
    ),
    ("maria", "Hoy he visto el atardecer más bonito del año desde el templo de Debod."),
    ("carlos", "Mañana tenemos examen de cálculo y todavía no he empezado a estudiar."),
    ("ana", "My students wrote short stories today and some of them were wonderful."),
    (
        "susan",
        "Does anyone have a good recipe for sourdough bread that a beginner can follow?",
    ),
    (
        "maria",
        "¿Alguien sabe dónde puedo revelar carretes de fotos en el centro de la ciudad?",
    ),
    (
        "john",
        "Reading about database indexes again. They are the closest thing to magic we have.",
    ),
    ("ana", "Mis alumnos escribieron cuentos cortos hoy y algunos eran maravillosos."),
    ("carlos", "Qué partido tan emocionante anoche, no me lo esperaba para nada."),
]
# index in DEMO_POSTS: [(sky, ground, sun, alt text), ...], pictures drawn by demo_images.
DEMO_PICTURES = {
    0: [
        (
            (120, 170, 230),
            (70, 140, 60),
            (255, 210, 80),
            "A sunny garden: green hills under a blue sky.",
        )
    ],
    2: [
        (
            (230, 120, 80),
            (90, 60, 90),
            (255, 230, 150),
            "Puesta de sol naranja sobre colinas moradas.",
        ),
        ((60, 80, 160), (40, 60, 50), (250, 250, 220), "La misma vista al anochecer, con la luna."),
    ],
}
# username: (background, skin, hair) of a drawn avatar; the others keep the default one.
DEMO_AVATARS = {
    "maria": ((250, 220, 200), (224, 172, 140), (60, 40, 30)),
    "ana": ((200, 230, 250), (190, 140, 110), (20, 20, 20)),
}
DEMO_FOLLOWS = [
    ("susan", "john"),
    ("susan", "maria"),
    ("john", "susan"),
    ("john", "ana"),
    ("maria", "carlos"),
    ("maria", "ana"),
    ("carlos", "maria"),
    ("ana", "susan"),
    ("ana", "maria"),
]
DEMO_MESSAGES = [
    ("john", "susan", "Hi Susan! Do you have any tomatoes to spare this week?"),
    ("maria", "susan", "¡Hola Susan! Me encantan las fotos de tu jardín."),
]

WORDS = {
    "en": (
        "the a my our this that today tomorrow morning evening coffee garden code book "
        "city river friend music movie dinner walk run rain sun weekend project idea "
        "story photo train bike market bread cake team game is was looks feels seems "
        "loved found made wrote read saw tried great lovely strange quiet busy new old "
        "little big happy"
    ).split(),
    "es": (
        "el la mi nuestro este hoy mañana tarde noche café jardín libro ciudad río amigo "
        "música película cena paseo lluvia sol proyecto idea historia foto tren mercado "
        "pan equipo partido es fue parece encanta encontré hice escribí leí vi probé "
        "genial precioso extraño tranquilo nuevo viejo pequeño grande feliz también muy"
    ).split(),
}
