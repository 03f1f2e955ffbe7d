"""A demo organization's sheet-metal fabrication shop: sites, calendars, work centers, catalogue, BOMs with
routings, warehouses with opening stock and a few employees.

Everything goes through the services (validated and audited like real data). The data is fixed (a seeded
``random.Random`` for the few variations), so two fresh loads are identical. ``load_shop`` must run inside
``transaction.atomic()`` and ``org_scope(org)``; it loads nothing when the main plant already exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

from factoryos.catalog import services as catalog
from factoryos.catalog.models import Item, UomKind
from factoryos.core.models import Membership
from factoryos.facilities import services as facilities
from factoryos.facilities.models import Site, WorkCenterKind
from factoryos.inventory import services as inventory
from factoryos.people import services as people

MAIN_SITE = "WTP"
SEED = 2026
D = Decimal
SHEET_2412 = D("2.88")  # 2400 x 1200 mm in m2
SHEET_3015 = D("4.5")  # 3000 x 1500 mm in m2
DENSITY = {"MS": D("7.85"), "GAL": D("7.85"), "304": D("7.93"), "316": D("7.98"), "AL": D("2.68")}
PRICE_PER_KG = {"MS": D("2.15"), "GAL": D("2.45"), "304": D("7.40"), "316": D("9.80"), "AL": D("9.20")}
MATERIAL_NAME = {
    "MS": "Mild steel CR",
    "GAL": "Galvanised steel Z275",
    "304": "Stainless 304 2B",
    "316": "Stainless 316 2B",
    "AL": "Aluminium 5052-H32",
}


def _money(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# -- sites, calendars, work centers -------------------------------------------------------------------------------
SITES = [
    {
        "code": "WTP",
        "name": "Wetherill Park Plant",
        "address_line1": "14 Foundry Road",
        "city": "Wetherill Park",
        "state": "NSW",
        "postcode": "2164",
        "time_zone": "Australia/Sydney",
        "calendar": "Wetherill Park two-shift",
        "shifts": [("Day", time(6), time(14, 30)), ("Afternoon", time(14, 30), time(23))],
        "holidays": [
            (date(2026, 10, 5), "Labour Day (NSW)"),
            (date(2026, 8, 3), "Bank Holiday (NSW)"),
            (date(2027, 10, 4), "Labour Day (NSW)"),
        ],
    },
    {
        "code": "DAN",
        "name": "Dandenong Plant",
        "address_line1": "7 Greens Road",
        "city": "Dandenong South",
        "state": "VIC",
        "postcode": "3175",
        "time_zone": "Australia/Melbourne",
        "calendar": "Dandenong day shift",
        "shifts": [("Day", time(6), time(14, 30))],
        "holidays": [
            (date(2026, 3, 9), "Labour Day (VIC)"),
            (date(2026, 11, 3), "Melbourne Cup Day"),
            (date(2027, 3, 8), "Labour Day (VIC)"),
            (date(2027, 11, 2), "Melbourne Cup Day"),
        ],
    },
]
NATIONAL_HOLIDAYS = [
    (date(2026, 1, 1), "New Year's Day"),
    (date(2026, 1, 26), "Australia Day"),
    (date(2026, 4, 3), "Good Friday"),
    (date(2026, 4, 6), "Easter Monday"),
    (date(2026, 6, 8), "King's Birthday"),
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 12, 28), "Boxing Day (observed)"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 1, 26), "Australia Day"),
    (date(2027, 3, 26), "Good Friday"),
    (date(2027, 3, 29), "Easter Monday"),
    (date(2027, 4, 26), "Anzac Day (observed)"),
    (date(2027, 6, 14), "King's Birthday"),
    (date(2027, 12, 27), "Christmas Day (observed)"),
    (date(2027, 12, 28), "Boxing Day (observed)"),
]
# code, site, name, kind, parallel machines, machine rate, labour rate, efficiency %
WORK_CENTERS = [
    ("LAS-W", "WTP", "Fibre lasers 6 kW (Trumpf TruLaser 3030)", WorkCenterKind.LASER, 2, "185", "68", "92"),
    ("PUN-W", "WTP", "Turret punch (Amada EM-2510NT)", WorkCenterKind.PUNCH, 1, "140", "64", "88"),
    ("BRK-W", "WTP", "Press brakes 135 t (Amada HG-1303)", WorkCenterKind.PRESS_BRAKE, 3, "95", "66", "85"),
    ("BRKH-W", "WTP", "Heavy press brake 320 t x 4 m", WorkCenterKind.PRESS_BRAKE, 1, "130", "66", "80"),
    ("SAW-W", "WTP", "Bandsaw (Everising H-460)", WorkCenterKind.SAW, 1, "35", "58", "90"),
    ("MIG-W", "WTP", "MIG welding cells", WorkCenterKind.WELDING, 4, "28", "72", "80"),
    ("TIG-W", "WTP", "TIG welding cells (stainless)", WorkCenterKind.WELDING, 2, "32", "78", "75"),
    ("PWD-W", "WTP", "Powder coat line (pretreat, booth, cure oven)", WorkCenterKind.PAINT, 1, "165", "60", "90"),
    ("ASM-W", "WTP", "Assembly benches", WorkCenterKind.ASSEMBLY, 6, "8", "62", "95"),
    ("QA-W", "WTP", "Final inspection", WorkCenterKind.INSPECTION, 2, "12", "70", "100"),
    ("LAS-D", "DAN", "Fibre laser 4 kW (Bystronic ByStar)", WorkCenterKind.LASER, 1, "160", "66", "90"),
    ("BRK-D", "DAN", "Press brake 100 t (Amada HFE)", WorkCenterKind.PRESS_BRAKE, 1, "85", "64", "85"),
    ("MIG-D", "DAN", "MIG welding cell", WorkCenterKind.WELDING, 2, "28", "70", "80"),
    ("ASM-D", "DAN", "Assembly and inspection", WorkCenterKind.ASSEMBLY, 2, "8", "60", "95"),
]
UNITS = [
    ("ea", "Each", UomKind.COUNT),
    ("kg", "Kilogram", UomKind.MASS),
    ("m", "Metre", UomKind.LENGTH),
    ("mm", "Millimetre", UomKind.LENGTH),
    ("sheet", "Sheet", UomKind.COUNT),
    ("L", "Litre", UomKind.VOLUME),
]
CATEGORIES = [
    ("Raw materials", None),
    ("Sheet", "Raw materials"),
    ("Bar and tube", "Raw materials"),
    ("Purchased parts", None),
    ("Fasteners", "Purchased parts"),
    ("Hardware", "Purchased parts"),
    ("Electrical components", "Purchased parts"),
    ("Coatings", "Purchased parts"),
    ("Consumables", None),
    ("Manufactured parts", None),
    ("Sub-assemblies", None),
    ("Finished goods", None),
    ("Enclosures", "Finished goods"),
    ("Switchboards", "Finished goods"),
    ("Guarding", "Finished goods"),
    ("Storage and handling", "Finished goods"),
]
TAGS = ["IP66", "Stainless", "Outdoor", "Long lead", "AS/NZS 61439", "Customer drawing"]


# -- the catalogue, as plain data ------------------------------------------------------------------------------------
@dataclass
class Spec:
    sku: str
    name: str
    item_type: str
    uom: str
    category: str
    cost: Decimal = D("0")
    lead: int = 0
    rop: Decimal = D("0")
    roq: Decimal = D("0")
    tracking: str = "none"
    material: str = ""
    weight: Decimal | None = None
    tags: list[str] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)
    kg_per_sheet: Decimal | None = None
    # made items: lines (component sku, quantity, unit code, scrap %) and operations (wc, text, setup, run)
    lines: list[tuple[str, Decimal, str, Decimal]] = field(default_factory=list)
    ops: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)
    stock: Decimal = D("0")


class Catalogue:
    """Builds the item specs bottom-up so each made item's standard cost rolls up from its components."""

    def __init__(self) -> None:
        self.specs: dict[str, Spec] = {}
        self.rates = {wc[0]: D(wc[5]) + D(wc[6]) for wc in WORK_CENTERS}
        self.rng = random.Random(SEED)

    def add(self, spec: Spec) -> Spec:
        assert spec.sku not in self.specs, spec.sku
        self.specs[spec.sku] = spec
        return spec

    def base_qty(self, sku: str, qty: Decimal, uom: str) -> Decimal:
        spec = self.specs[sku]
        if uom == spec.uom:
            return qty
        if (uom, spec.uom) == ("mm", "m"):
            return qty / 1000
        if (uom, spec.uom) == ("kg", "sheet"):
            return qty / spec.kg_per_sheet
        raise ValueError(f"{uom} -> {spec.uom} for {sku}")

    def made(self, sku, name, item_type, category, lines, ops, *, batch=10, **extra) -> Spec:
        """A made item; standard cost = material (with scrap) + setup spread over ``batch`` + run, at WC rates."""
        lines = [(c, D(str(q)), u, D(str(s))) for c, q, u, s in lines]
        ops = [(wc, text, D(str(setup)), D(str(run))) for wc, text, setup, run in ops]
        material = sum((self.specs[c].cost * self.base_qty(c, q, u) * (1 + s / 100) for c, q, u, s in lines), D("0"))
        conversion = sum(((setup / batch + run) * self.rates[wc] / 60 for wc, _, setup, run in ops), D("0"))
        spec = Spec(
            sku=sku,
            name=name,
            item_type=item_type,
            uom="ea",
            category=category,
            cost=_money(material + conversion),
            lead={"manufactured": 2, "subassembly": 3, "finished": 5}[item_type],  # making it; MRP offsets the parts
            lines=lines,
            ops=ops,
            **extra,
        )
        return self.add(spec)

    # raw materials
    def sheets(self) -> None:
        gauges = {
            "MS": ["1.2", "1.6", "2.0", "2.5", "3.0", "4.0", "5.0", "6.0"],
            "GAL": ["1.0", "1.2", "1.6", "2.0"],
            "304": ["0.9", "1.2", "1.5", "2.0", "3.0"],
            "316": ["1.2", "1.5", "2.0", "3.0"],
            "AL": ["1.6", "2.0", "2.5", "3.0", "4.0"],
        }
        for mat, thicknesses in gauges.items():
            for t in thicknesses:
                sizes = [("2412", "2400 x 1200", SHEET_2412)]
                if mat == "MS" and D(t) >= D("1.6"):
                    sizes.append(("3015", "3000 x 1500", SHEET_3015))
                for code, label, area in sizes:
                    kg = (D(t) * area * DENSITY[mat]).quantize(D("0.01"))
                    rop = D(8 if mat == "MS" else 3 if mat in {"GAL", "304", "AL"} else 2)
                    self.add(
                        Spec(
                            sku=f"SHT-{mat}-{t.replace('.', '')}-{code}",
                            name=f"{MATERIAL_NAME[mat]} sheet {t} mm {label}",
                            item_type="raw",
                            uom="sheet",
                            category="Sheet",
                            cost=_money(kg * PRICE_PER_KG[mat]),
                            lead=5 if mat in {"MS", "GAL"} else 10,
                            rop=rop,
                            roq=rop * 3,
                            tracking="lot",
                            material=MATERIAL_NAME[mat],
                            weight=kg,
                            kg_per_sheet=kg,
                            tags=["Stainless"] if mat in {"304", "316"} else [],
                            attributes={"thickness_mm": t, "size": label},
                            stock=rop * 2 + self.rng.randint(0, 6),
                        )
                    )

    def bars(self) -> None:
        rows = [
            ("SHS-25162", "SHS 25 x 25 x 1.6", "MS", "5.10", "1.15"),
            ("SHS-2520", "SHS 25 x 25 x 2.0", "MS", "5.90", "1.36"),
            ("SHS-4020", "SHS 40 x 40 x 2.0", "MS", "8.70", "2.31"),
            ("SHS-5030", "SHS 50 x 50 x 3.0", "MS", "14.20", "4.25"),
            ("SHS-6530", "SHS 65 x 65 x 3.0", "MS", "18.90", "5.48"),
            ("SHS-7540", "SHS 75 x 75 x 4.0", "MS", "28.40", "8.49"),
            ("RHS-5025", "RHS 50 x 25 x 1.6", "MS", "7.20", "1.75"),
            ("RHS-7550", "RHS 75 x 50 x 2.5", "MS", "14.60", "4.50"),
            ("RHS-10050", "RHS 100 x 50 x 3.0", "MS", "21.80", "6.71"),
            ("FLT-253", "Flat bar 25 x 3", "MS", "2.10", "0.59"),
            ("FLT-255", "Flat bar 25 x 5", "MS", "3.20", "0.98"),
            ("FLT-405", "Flat bar 40 x 5", "MS", "4.80", "1.57"),
            ("FLT-506", "Flat bar 50 x 6", "MS", "6.90", "2.36"),
            ("FLT-756", "Flat bar 75 x 6", "MS", "10.10", "3.53"),
            ("ANG-253", "Equal angle 25 x 25 x 3", "MS", "3.60", "1.11"),
            ("ANG-404", "Equal angle 40 x 40 x 4", "MS", "6.40", "2.42"),
            ("ANG-505", "Equal angle 50 x 50 x 5", "MS", "9.80", "3.77"),
            ("RND-12", "Round bar 12 mm", "MS", "2.60", "0.89"),
            ("RND-16", "Round bar 16 mm", "MS", "4.40", "1.58"),
            ("RND-20", "Round bar 20 mm", "MS", "6.80", "2.47"),
            ("SS-SHS-25", "SHS 25 x 25 x 1.6 stainless 304", "304", "24.50", "1.17"),
            ("SS-SHS-40", "SHS 40 x 40 x 1.6 stainless 304", "304", "36.80", "1.93"),
            ("SS-TUB-25", "Round tube 25.4 x 1.6 stainless 304", "304", "19.90", "0.95"),
            ("SS-FLT-253", "Flat bar 25 x 3 stainless 316", "316", "14.60", "0.60"),
            ("AL-ANG-253", "Angle 25 x 25 x 3 aluminium 6060", "AL", "6.30", "0.39"),
            ("AL-FLT-506", "Flat bar 50 x 6 aluminium 6060", "AL", "11.40", "0.81"),
        ]
        for code, name, mat, per_m, kg_m in rows:
            self.add(
                Spec(
                    sku=f"BAR-{code}",
                    name=f"{name} (6.5 m lengths)" if mat == "MS" else f"{name} (6 m lengths)",
                    item_type="raw",
                    uom="m",
                    category="Bar and tube",
                    cost=D(per_m),
                    lead=4 if mat == "MS" else 12,
                    rop=D(26),
                    roq=D(65),
                    material=MATERIAL_NAME.get(mat, mat),
                    weight=D(kg_m),
                    attributes={"kg_per_m": kg_m},
                    stock=D(6.5 * self.rng.randint(6, 16)).quantize(D("0.1")),
                )
            )

    def purchased(self) -> None:
        def buy(sku, name, uom, category, cost, lead, rop, roq, **extra):
            stock = extra.pop("stock", None)
            if stock is None:
                stock = D(rop) * 2 + (D(rop) * self.rng.randint(0, 10) / 10).quantize(D("1"))
            self.add(
                Spec(
                    sku=sku,
                    name=name,
                    item_type=extra.pop("item_type", "purchased"),
                    uom=uom,
                    category=category,
                    cost=D(cost),
                    lead=lead,
                    rop=D(rop),
                    roq=D(roq),
                    stock=D(stock),
                    **extra,
                )
            )

        bolt_cost = {"M5": "0.08", "M6": "0.11", "M8": "0.19", "M10": "0.32"}
        for size, base in bolt_cost.items():
            for length in (20, 25, 30, 40):
                buy(
                    f"FST-HB-{size}{length}",
                    f"Hex set screw {size} x {length} zinc plated 8.8",
                    "ea",
                    "Fasteners",
                    _money(D(base) * (1 + D(length) / 50)),
                    7,
                    200,
                    1000,
                )
            buy(f"FST-NUT-{size}", f"Hex nut {size} zinc plated", "ea", "Fasteners", D(base) / 2, 7, 500, 2000)
            buy(f"FST-FW-{size}", f"Flat washer {size} zinc plated", "ea", "Fasteners", D(base) / 3, 7, 500, 2000)
            buy(f"FST-SW-{size}", f"Spring washer {size} zinc plated", "ea", "Fasteners", D(base) / 3, 7, 500, 2000)
        for size, cost in (("M5", "0.22"), ("M6", "0.26"), ("M8", "0.41")):
            buy(f"FST-RVN-{size}", f"Rivnut {size} steel zinc, large flange", "ea", "Fasteners", cost, 10, 300, 1000)
        for size, cost in (("M4", "0.18"), ("M5", "0.21"), ("M6", "0.27")):
            buy(f"FST-PEM-{size}", f"Self-clinching nut {size} (PEM S-{size})", "ea", "Fasteners", cost, 14, 500, 2000)
        buy("FST-RIV-48", "Blind rivet 4.8 mm aluminium/steel", "ea", "Fasteners", "0.05", 7, 1000, 5000)
        buy("FST-TEK-10", "Tek screw 10-16 x 16 hex head", "ea", "Fasteners", "0.06", 7, 1000, 5000)
        buy("FST-SS-M6", "Hex set screw M6 x 20 stainless 316", "ea", "Fasteners", "0.38", 10, 200, 1000)
        buy("FST-SSN-M6", "Hex nut M6 stainless 316", "ea", "Fasteners", "0.14", 10, 200, 1000)

        buy("HW-HNG-CON", "Concealed hinge 120 degree, zinc die-cast", "ea", "Hardware", "4.80", 14, 60, 200)
        buy("HW-HNG-LFT", "Lift-off hinge stainless 304", "ea", "Hardware", "7.90", 14, 40, 200)
        buy("HW-HNG-PNO", "Piano hinge 1.2 mm stainless", "m", "Hardware", "18.50", 14, 10, 30)
        buy("HW-GS-150", "Gas strut 150 N, 254 mm", "ea", "Hardware", "12.40", 14, 20, 100)
        buy("HW-GS-300", "Gas strut 300 N, 355 mm", "ea", "Hardware", "14.10", 14, 20, 100)
        buy("HW-GS-500", "Gas strut 500 N, 508 mm", "ea", "Hardware", "17.60", 14, 10, 50)
        buy("HW-LCK-QT", "Quarter-turn lock, 8 mm triangle insert", "ea", "Hardware", "6.20", 10, 80, 300)
        buy("HW-LCK-SW", "Swing handle lock, keyed 92268", "ea", "Hardware", "24.50", 21, 30, 100, tags=["Long lead"])
        buy("HW-LCK-HSP", "Padlock hasp, heavy duty", "ea", "Hardware", "5.40", 10, 30, 100)
        buy("HW-HDL-PUL", "Pull handle 150 mm stainless", "ea", "Hardware", "6.80", 10, 40, 200)
        buy("HW-GSK-EPDM", "EPDM sponge gasket 10 x 6 mm, adhesive back", "m", "Hardware", "1.45", 10, 200, 500)
        buy("HW-GSK-FIP", "Polyurethane foam-in-place gasket compound", "L", "Hardware", "68.00", 21, 10, 40)
        buy("HW-CST-100", "Swivel castor 100 mm with brake", "ea", "Hardware", "18.90", 14, 20, 80)
        buy("HW-CST-125", "Fixed castor 125 mm", "ea", "Hardware", "15.20", 14, 20, 80)
        buy("HW-FT-M12", "Levelling foot M12, 50 mm base", "ea", "Hardware", "3.90", 10, 40, 200)
        buy("HW-LFT-M10", "Lifting eye bolt M10", "ea", "Hardware", "4.60", 10, 20, 100)
        buy("HW-DSTOP", "Door stay, 90 degree", "ea", "Hardware", "9.80", 14, 20, 80)
        buy("HW-NMPLT", "Engraved nameplate, anodised", "ea", "Hardware", "3.20", 7, 50, 200)
        buy("HW-WIRE-MESH", "Welded mesh 50 x 50 x 4 mm", "kg", "Hardware", "3.10", 10, 100, 400)

        buy("ELC-DIN-35", "DIN rail 35 mm top hat", "m", "Electrical components", "4.20", 7, 20, 100)
        buy("ELC-GLD-20", "Cable gland M20 nylon IP68", "ea", "Electrical components", "0.85", 7, 100, 500)
        buy("ELC-GLD-25", "Cable gland M25 nylon IP68", "ea", "Electrical components", "1.10", 7, 100, 500)
        buy("ELC-ERT-M6", "Earth stud kit M6 with label", "ea", "Electrical components", "1.90", 7, 100, 400)
        buy("ELC-BUS-250", "Copper busbar 250 A, 25 x 6 mm", "m", "Electrical components", "48.00", 21, 10, 40)
        buy("ELC-INS-M8", "Busbar insulator M8", "ea", "Electrical components", "2.40", 14, 50, 200)
        buy("ELC-DUCT-40", "Slotted wiring duct 40 x 60", "m", "Electrical components", "6.10", 7, 20, 100)

        powders = [
            ("7035", "Light grey RAL 7035 textured"),
            ("7032", "Pebble grey RAL 7032"),
            ("X15", "Orange X15 (switchboard)"),
            ("BLK", "Black satin"),
            ("MON", "Monument matt"),
            ("SRF", "Surfmist satin"),
            ("1003", "Safety yellow RAL 1003"),
        ]
        for code, label in powders:
            buy(
                f"PWD-{code}",
                f"Powder coat {label} (Dulux Duratec)",
                "kg",
                "Coatings",
                "16.50" if code != "1003" else "21.00",
                10,
                40,
                100,
                tracking="lot",
                tags=["Outdoor"] if code in {"MON", "SRF"} else [],
            )

        def consumable(sku, name, uom, cost, rop, roq):
            buy(sku, name, uom, "Consumables", cost, 5, rop, roq, item_type="consumable")

        consumable("CNS-MIG-09", "MIG wire ER70S-6 0.9 mm, 15 kg spool", "kg", "4.20", 60, 150)
        consumable("CNS-TIG-316", "TIG rod ER316L 1.6 mm", "kg", "38.00", 5, 20)
        consumable("CNS-GAS-ARG", "Argoshield light, G size cylinder", "ea", "95.00", 4, 8)
        consumable("CNS-GAS-ARP", "Welding argon, G size cylinder", "ea", "110.00", 2, 6)
        consumable("CNS-DSC-FLP", "Flap disc 125 mm 60 grit", "ea", "4.10", 50, 200)
        consumable("CNS-DSC-CUT", "Cutting disc 125 x 1.0 mm", "ea", "1.60", 100, 400)
        consumable("CNS-PRT-NZL", "Laser nozzle 1.5 mm single", "ea", "9.50", 20, 50)
        consumable("CNS-DEGR", "Pretreatment degreaser concentrate", "L", "7.80", 40, 200)

    # made items
    def enclosures(self) -> None:
        sizes = [
            (300, 300, 200),
            (400, 300, 200),
            (600, 400, 250),
            (600, 600, 250),
            (800, 600, 300),
            (1000, 800, 300),
        ]
        for h, w, d in sizes:
            for mat in ("MS", "304"):
                if mat == "304" and h not in (400, 600, 800):
                    continue
                stainless = mat == "304"
                t = "1.5" if stainless else ("1.6" if h < 800 else "2.0")
                sheet = f"SHT-{mat}-{t.replace('.', '')}-2412"
                kg_m2 = D(t) * DENSITY[mat]
                size = f"{h}{w}{d}"
                base = f"{'SS' if stainless else 'MS'}-{size}"
                laser = "LAS-W"
                weld = "TIG-W" if stainless else "MIG-W"
                area_body = D(2 * (h + w) * d + h * w) / 1_000_000  # wrap and back
                area_door = D((h + 30) * (w + 30)) / 1_000_000
                area_mp = D((h - 75) * (w - 75)) / 1_000_000
                label = f"{h} x {w} x {d}"
                body = self.made(
                    f"MP-BODY-{base}",
                    f"Enclosure body blank {label} ({'304' if stainless else 'mild steel'})",
                    "manufactured",
                    "Manufactured parts",
                    [(sheet, (area_body * kg_m2).quantize(D("0.01")), "kg", 18)],
                    [
                        (laser, "Cut body blank", 15, D("4.5") + area_body * 4),
                        ("BRK-W", "Fold wrap, 4 bends", 20, 3),
                    ],
                    material=MATERIAL_NAME[mat],
                    attributes={"drawing": f"ENC-{size}-01"},
                )
                door = self.made(
                    f"MP-DOOR-{base}",
                    f"Enclosure door panel {label}",
                    "manufactured",
                    "Manufactured parts",
                    [(sheet, (area_door * kg_m2).quantize(D("0.01")), "kg", 15)],
                    [
                        ("PUN-W" if not stainless else laser, "Punch/cut door panel", 15, 3),
                        ("BRK-W", "Fold door return, 4 bends", 15, D("2.5")),
                    ],
                    material=MATERIAL_NAME[mat],
                )
                plate_sku = f"MP-MPLT-{size}"
                plate = self.specs.get(plate_sku) or self.made(
                    plate_sku,
                    f"Mounting plate galvanised {h - 75} x {w - 75}",
                    "manufactured",
                    "Manufactured parts",
                    [("SHT-GAL-20-2412", (area_mp * D("2.0") * DENSITY["GAL"]).quantize(D("0.01")), "kg", 12)],
                    [(laser, "Cut mounting plate", 10, 2), ("BRK-W", "Fold plate returns", 10, D("1.5"))],
                    material=MATERIAL_NAME["GAL"],
                )
                gland = f"MP-GLND-{w}"
                if gland not in self.specs:
                    self.made(
                        gland,
                        f"Gland plate {w - 100} x 80 galvanised",
                        "manufactured",
                        "Manufactured parts",
                        [
                            (
                                "SHT-GAL-16-2412",
                                (D((w - 100) * 80) / 1_000_000 * D("12.56")).quantize(D("0.001")),
                                "kg",
                                10,
                            )
                        ],
                        [(laser, "Cut gland plate", 5, D("0.8"))],
                    )
                finish = [] if stainless else [("PWD-7035", D("0.35") + area_body + area_door, "kg", 30)]
                body_sa = self.made(
                    f"SA-BODY-{base}",
                    f"Welded enclosure body {label}",
                    "subassembly",
                    "Sub-assemblies",
                    [
                        (body.sku, 1, "ea", 0),
                        (gland, 1, "ea", 0),
                        ("FST-PEM-M6", 4, "ea", 2),
                        ("ELC-ERT-M6", 1, "ea", 0),
                        ("CNS-TIG-316" if stainless else "CNS-MIG-09", D("0.15") + area_body / 4, "kg", 0),
                        *finish,
                    ],
                    [
                        (weld, "Weld corners, grind and dress", 10, 18 if stainless else 12),
                        *(
                            [("PWD-W", "Pretreat and powder coat RAL 7035", 30, 6)]
                            if not stainless
                            else [("ASM-W", "Passivate and brush finish", 10, 14)]
                        ),
                    ],
                )
                door_sa = self.made(
                    f"SA-DOOR-{base}",
                    f"Enclosure door assembly {label}",
                    "subassembly",
                    "Sub-assemblies",
                    [
                        (door.sku, 1, "ea", 0),
                        ("HW-HNG-LFT" if stainless else "HW-HNG-CON", 2 if h < 800 else 3, "ea", 0),
                        ("HW-LCK-SW" if h >= 800 else "HW-LCK-QT", 1 if h < 600 else 2, "ea", 0),
                        ("HW-GSK-EPDM", D(2 * (h + w)) / 1000 + D("0.1"), "m", 5),
                        ("ELC-ERT-M6", 1, "ea", 0),
                        *([] if stainless else [("PWD-7035", D("0.2") + area_door, "kg", 30)]),
                    ],
                    [
                        *([] if stainless else [("PWD-W", "Powder coat door RAL 7035", 30, 4)]),
                        ("ASM-W", "Fit hinges, lock and gasket", 5, 9),
                    ],
                )
                tags = ["IP66"] + (["Stainless", "Outdoor"] if stainless else [])
                self.made(
                    f"ENC-{base}",
                    f"Wall-mount enclosure IP66 {label} {'stainless 304' if stainless else 'RAL 7035'}",
                    "finished",
                    "Enclosures",
                    [
                        (body_sa.sku, 1, "ea", 0),
                        (door_sa.sku, 1, "ea", 0),
                        (plate.sku, 1, "ea", 0),
                        ("FST-HB-M620", 4, "ea", 0),
                        ("FST-FW-M6", 4, "ea", 0),
                        ("HW-NMPLT", 1, "ea", 0),
                    ],
                    [
                        ("ASM-W", "Hang door, fit mounting plate, label", 5, 12),
                        ("QA-W", "IP66 hose test and final inspection", 5, 8),
                    ],
                    tags=tags,
                    weight=((area_body + area_door) * kg_m2 + area_mp * D("15.7")).quantize(D("0.1")),
                    attributes={"ip_rating": "IP66", "height_mm": h, "width_mm": w, "depth_mm": d},
                    rop=D(2),
                    roq=D(5),
                    stock=D(self.rng.randint(1, 4)),
                )

    def switchboard(self) -> None:
        """Four levels: FG > cabinet > door / frame > parts > sheet and tube."""
        self.made(
            "MP-SWB-UPR",
            "Switchboard frame upright SHS 40 x 40, 2000 mm",
            "manufactured",
            "Manufactured parts",
            [("BAR-SHS-4020", 2000, "mm", 3)],
            [("SAW-W", "Cut to length, mitre", 10, 3), ("LAS-W", "Tube laser hole pattern", 15, 4)],
        )
        self.made(
            "MP-SWB-RAIL",
            "Switchboard frame rail SHS 40 x 40, 800 mm",
            "manufactured",
            "Manufactured parts",
            [("BAR-SHS-4020", 800, "mm", 3)],
            [("SAW-W", "Cut to length, mitre", 10, 2)],
        )
        self.made(
            "MP-SWB-SIDE",
            "Switchboard side panel 2000 x 600, 1.6 mm",
            "manufactured",
            "Manufactured parts",
            [("SHT-MS-16-3015", D("16.3"), "kg", 15)],
            [("LAS-W", "Cut side panel with louvres", 15, 9), ("BRKH-W", "Fold returns", 20, 6)],
        )
        self.made(
            "MP-SWB-ROOF",
            "Switchboard roof 800 x 600, 2.0 mm",
            "manufactured",
            "Manufactured parts",
            [("SHT-MS-20-2412", D("8.3"), "kg", 15)],
            [("LAS-W", "Cut roof, lifting eye holes", 10, 4), ("BRK-W", "Fold roof, 4 bends", 15, 4)],
        )
        self.made(
            "MP-SWB-DOOR",
            "Switchboard door panel 1950 x 790, 2.0 mm",
            "manufactured",
            "Manufactured parts",
            [("SHT-MS-20-3015", D("26.5"), "kg", 15)],
            [("LAS-W", "Cut door, handle cut-out", 15, 7), ("BRKH-W", "Fold door return", 25, 8)],
        )
        self.made(
            "MP-SWB-MPLT",
            "Switchboard mounting plate 1800 x 700, 3.0 mm galvanised",
            "manufactured",
            "Manufactured parts",
            [("SHT-GAL-20-2412", D("29.7"), "kg", 10)],
            [("LAS-W", "Cut mounting plate", 10, 5), ("BRKH-W", "Fold returns", 15, 4)],
        )
        self.made(
            "MP-SWB-PLN",
            "Plinth channel 100 mm, 3.0 mm",
            "manufactured",
            "Manufactured parts",
            [("SHT-MS-30-2412", D("7.1"), "kg", 12)],
            [("LAS-W", "Cut plinth channel", 10, 2), ("BRK-W", "Fold channel", 15, 3)],
        )
        self.made(
            "SA-SWB-FRAME",
            "Switchboard welded frame 2000 x 800 x 600",
            "subassembly",
            "Sub-assemblies",
            [("MP-SWB-UPR", 4, "ea", 0), ("MP-SWB-RAIL", 8, "ea", 0), ("CNS-MIG-09", D("0.6"), "kg", 0)],
            [("MIG-W", "Jig and weld frame, dress welds", 30, 55)],
        )
        self.made(
            "SA-SWB-DOOR",
            "Switchboard door assembly",
            "subassembly",
            "Sub-assemblies",
            [
                ("MP-SWB-DOOR", 1, "ea", 0),
                ("HW-HNG-CON", 3, "ea", 0),
                ("HW-LCK-SW", 1, "ea", 0),
                ("HW-DSTOP", 1, "ea", 0),
                ("HW-GSK-EPDM", D("5.6"), "m", 5),
            ],
            [("ASM-W", "Fit hinges, lock, stay and gasket", 10, 18)],
        )
        self.made(
            "SA-SWB-PLINTH",
            "Switchboard plinth 100 mm",
            "subassembly",
            "Sub-assemblies",
            [("MP-SWB-PLN", 4, "ea", 0), ("CNS-MIG-09", D("0.2"), "kg", 0)],
            [("MIG-W", "Weld plinth", 10, 15)],
        )
        self.made(
            "SA-SWB-CAB",
            "Switchboard cabinet, powder coated X15 orange",
            "subassembly",
            "Sub-assemblies",
            [
                ("SA-SWB-FRAME", 1, "ea", 0),
                ("SA-SWB-PLINTH", 1, "ea", 0),
                ("MP-SWB-SIDE", 2, "ea", 0),
                ("MP-SWB-ROOF", 1, "ea", 0),
                ("SA-SWB-DOOR", 1, "ea", 0),
                ("FST-HB-M825", 24, "ea", 2),
                ("FST-RVN-M6", 16, "ea", 2),
                ("PWD-X15", D("3.8"), "kg", 25),
            ],
            [
                ("PWD-W", "Pretreat and powder coat X15", 30, 35),
                ("ASM-W", "Assemble panels, door and plinth to frame", 15, 75),
            ],
        )
        self.made(
            "SWB-2000-800-X15",
            "Floor-standing switchboard cabinet 2000 x 800 x 600 IP54, X15 orange",
            "finished",
            "Switchboards",
            [
                ("SA-SWB-CAB", 1, "ea", 0),
                ("MP-SWB-MPLT", 1, "ea", 0),
                ("ELC-DIN-35", 3, "m", 5),
                ("ELC-DUCT-40", 4, "m", 5),
                ("ELC-BUS-250", D("2.4"), "m", 3),
                ("ELC-INS-M8", 8, "ea", 0),
                ("HW-LFT-M10", 4, "ea", 0),
                ("ELC-ERT-M6", 4, "ea", 0),
                ("HW-NMPLT", 1, "ea", 0),
            ],
            [
                ("ASM-W", "Fit mounting plate, busbars, duct and rail", 20, 95),
                ("QA-W", "Final inspection to AS/NZS 61439", 10, 30),
            ],
            tracking="serial",
            tags=["AS/NZS 61439", "Long lead"],
            weight=D("148"),
            attributes={"ip_rating": "IP54", "form": "Form 1"},
            rop=D(1),
            roq=D(2),
            stock=D(2),
        )

    def guards_bins_racks(self) -> None:
        for w in (1000, 1500, 2000):
            panel = self.made(
                f"MP-GRD-FRM-{w}",
                f"Guard panel frame 2000 x {w} RHS 50 x 25",
                "manufactured",
                "Manufactured parts",
                [("BAR-RHS-5025", 2 * (2000 + w), "mm", 4)],
                [("SAW-W", "Cut and mitre frame members", 10, 6)],
            )
            self.made(
                f"SA-GRD-PNL-{w}",
                f"Machine guard mesh panel 2000 x {w}, safety yellow",
                "subassembly",
                "Sub-assemblies",
                [
                    (panel.sku, 1, "ea", 0),
                    ("HW-WIRE-MESH", D(w) / 1000 * 2 * D("3.3"), "kg", 8),
                    ("CNS-MIG-09", D("0.25"), "kg", 0),
                    ("PWD-1003", D("0.9") + D(w) / 2000, "kg", 30),
                ],
                [("MIG-W", "Weld frame and mesh", 15, 28), ("PWD-W", "Powder coat safety yellow", 20, 8)],
                tags=["Customer drawing"] if w == 2000 else [],
            )
        self.made(
            "MP-GRD-POST",
            "Guard post SHS 65 x 65 with base plate",
            "manufactured",
            "Manufactured parts",
            [("BAR-SHS-6530", 2100, "mm", 3), ("SHT-MS-60-2412", D("2.6"), "kg", 12)],
            [
                ("SAW-W", "Cut post", 10, 3),
                ("LAS-W", "Cut base plate", 10, 1),
                ("MIG-W", "Weld base plate", 10, 8),
            ],
        )
        self.made(
            "SA-GRD-POST",
            "Guard post, powder coated",
            "subassembly",
            "Sub-assemblies",
            [("MP-GRD-POST", 1, "ea", 0), ("PWD-1003", D("0.5"), "kg", 30)],
            [("PWD-W", "Powder coat safety yellow", 20, 4)],
        )
        self.made(
            "GRD-KIT-6M",
            "Machine guard kit, 6 m run with access gate",
            "finished",
            "Guarding",
            [
                ("SA-GRD-PNL-2000", 2, "ea", 0),
                ("SA-GRD-PNL-1000", 2, "ea", 0),
                ("SA-GRD-POST", 5, "ea", 0),
                ("HW-HNG-LFT", 2, "ea", 0),
                ("HW-LCK-HSP", 1, "ea", 0),
                ("FST-HB-M1030", 20, "ea", 5),
                ("FST-NUT-M10", 20, "ea", 5),
            ],
            [("ASM-W", "Kit, trial fit gate, pack", 15, 40), ("QA-W", "Inspect against AS 4024", 5, 15)],
            tags=["Customer drawing"],
        )

        for cap, t in ((60, "1.2"), (120, "1.5"), (240, "2.0")):
            mat = "304"
            kg = (D(cap) / 60 * D("0.55") * D(t) * DENSITY[mat]).quantize(D("0.01"))
            shell = self.made(
                f"MP-BIN-SHL-{cap}",
                f"Stainless bin shell {cap} L",
                "manufactured",
                "Manufactured parts",
                [(f"SHT-304-{t.replace('.', '')}-2412", kg, "kg", 15)],
                [("LAS-W", "Cut shell blank", 10, 3), ("BRK-W", "Fold shell", 15, 5)],
            )
            lid = self.made(
                f"MP-BIN-LID-{cap}",
                f"Stainless bin lid {cap} L",
                "manufactured",
                "Manufactured parts",
                [("SHT-304-12-2412", (kg / 4).quantize(D("0.01")), "kg", 15)],
                [("LAS-W", "Cut lid", 5, 1), ("BRK-W", "Fold lid edge", 10, 2)],
            )
            body = self.made(
                f"SA-BIN-BDY-{cap}",
                f"Stainless bin body {cap} L, welded and passivated",
                "subassembly",
                "Sub-assemblies",
                [(shell.sku, 1, "ea", 0), ("CNS-TIG-316", D("0.1") * cap / 60, "kg", 0)],
                [("TIG-W", "TIG weld seams, grind flush", 15, 25), ("ASM-W", "Pickle and passivate", 10, 10)],
            )
            self.made(
                f"BIN-SS-{cap}",
                f"Stainless steel mobile bin {cap} L with lid",
                "finished",
                "Storage and handling",
                [
                    (body.sku, 1, "ea", 0),
                    (lid.sku, 1, "ea", 0),
                    ("HW-HNG-PNO", D("0.4") + D(cap) / 1000, "m", 0),
                    ("HW-CST-100", 2 if cap < 240 else 4, "ea", 0),
                    ("HW-HDL-PUL", 1, "ea", 0),
                    ("FST-SS-M6", 8, "ea", 5),
                    ("FST-SSN-M6", 8, "ea", 5),
                ],
                [("ASM-W", "Fit lid, castors, handle", 5, 15), ("QA-W", "Inspect finish", 5, 4)],
                tags=["Stainless"],
                stock=D(self.rng.randint(2, 6)),
            )

        self.made(
            "MP-RCK-SHF",
            "Rack shelf 1200 x 600, 1.6 mm folded",
            "manufactured",
            "Manufactured parts",
            [("SHT-MS-16-2412", D("10.2"), "kg", 12)],
            [("PUN-W", "Punch shelf", 10, 3), ("BRK-W", "Fold shelf, 4 bends", 15, 3)],
        )
        for levels in (3, 4, 5):
            frame = self.made(
                f"SA-RCK-FRM-{levels}",
                f"Rack end frame, {levels} levels, powder coated",
                "subassembly",
                "Sub-assemblies",
                [
                    ("BAR-SHS-4020", D("1.8") * 2 + D("0.6") * levels, "m", 4),
                    ("CNS-MIG-09", D("0.15") * levels, "kg", 0),
                    ("PWD-BLK", D("0.3") * levels, "kg", 30),
                ],
                [
                    ("SAW-W", "Cut uprights and rails", 10, 5),
                    ("MIG-W", "Weld end frame", 15, 6 * levels),
                    ("PWD-W", "Powder coat black satin", 20, 5),
                ],
            )
            self.made(
                f"RCK-1200-{levels}L",
                f"Steel shelving rack 1200 x 600 x 1800, {levels} levels",
                "finished",
                "Storage and handling",
                [
                    (frame.sku, 2, "ea", 0),
                    ("MP-RCK-SHF", levels, "ea", 0),
                    ("FST-HB-M820", 8 * levels, "ea", 3),
                    ("FST-NUT-M8", 8 * levels, "ea", 3),
                    ("HW-FT-M12", 4, "ea", 0),
                ],
                [("ASM-W", "Trial assemble, flat pack", 10, 10 + 3 * levels), ("QA-W", "Inspect", 5, 3)],
            )

    def build(self) -> dict[str, Spec]:
        self.sheets()
        self.bars()
        self.purchased()
        self.enclosures()
        self.switchboard()
        self.guards_bins_racks()
        return self.specs


# -- loading ------------------------------------------------------------------------------------------------------
EMPLOYEES = [
    # number, first, last, title, department, site, start, rate, work centers, {skill: level}, demo user role
    ("E1001", "Jess", "Walker", "Press Brake Operator", "Production", "WTP", date(2019, 3, 4), "38.50",
     ["BRK-W", "BRKH-W", "PUN-W"], {"Press brake setup": 5, "Turret punch operation": 3}, "operator"),
    ("E1002", "Dave", "Kowalski", "Leading Hand Welder", "Production", "WTP", date(2012, 7, 16), "44.00",
     ["MIG-W", "TIG-W"], {"MIG welding (AS/NZS 1554.1)": 5, "TIG welding stainless": 4, "Forklift (LF)": 3}, None),
    ("E1003", "Mai", "Tran", "Laser Programmer / Operator", "Production", "WTP", date(2018, 1, 22), "41.00",
     ["LAS-W", "PUN-W"], {"Fibre laser programming": 5, "Turret punch operation": 4}, None),
    ("E1004", "Liam", "O'Connor", "Powder Coater", "Production", "WTP", date(2021, 5, 10), "36.00",
     ["PWD-W"], {"Powder coating": 4, "Forklift (LF)": 2}, None),
    ("E1005", "Aroha", "Wiremu", "Assembler / Electrical Fitter", "Production", "WTP", date(2020, 9, 1), "39.50",
     ["ASM-W"], {"Electrical fit-out": 4, "Mechanical assembly": 4}, None),
    ("E1006", "Sanjay", "Mehta", "QA Inspector", "Quality", "WTP", date(2016, 2, 8), "42.00",
     ["QA-W"], {"Quality inspection": 5, "TIG welding stainless": 2}, None),
    ("E2001", "Chloe", "Papadopoulos", "Fabricator", "Production", "DAN", date(2022, 11, 14), "37.00",
     ["LAS-D", "BRK-D", "MIG-D"], {"Fibre laser programming": 2, "Press brake setup": 3,
                                   "MIG welding (AS/NZS 1554.1)": 3}, None),
    ("E2002", "Ben", "Hughes", "Leading Hand", "Production", "DAN", date(2015, 6, 29), "43.50",
     ["ASM-D", "MIG-D", "BRK-D"], {"Mechanical assembly": 5, "MIG welding (AS/NZS 1554.1)": 4,
                                   "Quality inspection": 3}, None),
]  # fmt: skip
SKILLS = {
    "Fibre laser programming": "Nesting and CAM for the fibre lasers",
    "Turret punch operation": "Tooling and running the turret punch",
    "Press brake setup": "Tooling, bend sequence and first-off check",
    "MIG welding (AS/NZS 1554.1)": "Structural MIG welding, qualified to AS/NZS 1554.1",
    "TIG welding stainless": "TIG welding of 304/316 sheet and tube",
    "Powder coating": "Pretreatment, spraying and cure",
    "Electrical fit-out": "DIN rail, duct and busbar installation",
    "Mechanical assembly": "Hardware fitting, trial assembly, packing",
    "Quality inspection": "First-article and final inspection, IP testing",
    "Forklift (LF)": "High-risk work licence LF",
}
DAN_ITEMS = (
    "SHT-MS-",
    "SHT-GAL-",
    "BAR-SHS-",
    "BAR-RHS-",
    "FST-HB-M8",
    "FST-NUT-M8",
    "PWD-7035",
    "CNS-MIG-09",
    "HW-WIRE-MESH",
)


@dataclass
class Loaded:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def shop_loaded() -> bool:
    return Site.objects.filter(code=MAIN_SITE).exists()


def load_shop(actor: Membership) -> dict[str, int] | None:
    """Load the shop into the current organization; None when it is there already."""
    if shop_loaded():
        return None
    out = Loaded()
    sites, calendars, wcs = _facilities(actor, out)
    units, items = _catalogue(actor, out, wcs)
    _stock(actor, out, sites, items)
    _people(actor, out, sites, wcs)
    return out.counts


def _facilities(actor, out):
    sites, calendars, wcs = {}, {}, {}
    for row in SITES:
        site = facilities.site_create(
            actor=actor,
            **{k: row[k] for k in ("code", "name", "address_line1", "city", "state", "postcode", "time_zone")},
        )
        calendar = facilities.calendar_create(actor=actor, name=row["calendar"], site=site)
        for weekday in range(5):
            for name, start, end in row["shifts"]:
                facilities.shift_create(
                    actor=actor, calendar=calendar, weekday=weekday, name=name, start=start, end=end
                )
                out.add("shifts")
        for day, name in sorted(NATIONAL_HOLIDAYS + row["holidays"]):
            facilities.holiday_create(actor=actor, calendar=calendar, date=day, name=name)
            out.add("holidays")
        sites[site.code], calendars[site.code] = site, calendar
        out.add("sites")
        out.add("calendars")
    for code, site, name, kind, machines, machine_rate, labour_rate, efficiency in WORK_CENTERS:
        wcs[code] = facilities.work_center_create(
            actor=actor,
            site=sites[site],
            code=code,
            name=name,
            kind=kind,
            machines=machines,
            machine_rate=D(machine_rate),
            labour_rate=D(labour_rate),
            efficiency_pct=D(efficiency),
            calendar=calendars[site],
        )
        out.add("work centers")
    return sites, calendars, wcs


def _catalogue(actor, out, wcs):
    units = {code: catalog.uom_create(actor=actor, code=code, name=name, kind=kind) for code, name, kind in UNITS}
    catalog.conversion_create(actor=actor, from_uom=units["m"], to_uom=units["mm"], factor=D(1000))
    out.add("units", len(units))
    out.add("conversions")
    categories = {}
    for name, parent in CATEGORIES:
        categories[name] = catalog.category_create(actor=actor, name=name, parent=categories.get(parent))
    out.add("categories", len(categories))
    tags = {name: catalog.tag_create(actor=actor, name=name) for name in TAGS}
    specs = Catalogue().build()
    items: dict[str, tuple[Item, Spec]] = {}
    for spec in specs.values():
        item = catalog.item_create(
            actor=actor,
            sku=spec.sku,
            name=spec.name,
            item_type=spec.item_type,
            uom=units[spec.uom],
            category=categories[spec.category],
            standard_cost=_money(spec.cost),
            lead_time_days=spec.lead,
            safety_stock=(spec.rop / 2).quantize(D("1")),
            reorder_point=spec.rop,
            reorder_qty=spec.roq,
            min_order_qty=spec.roq if spec.item_type in {"raw", "purchased"} else D(0),
            weight_kg=spec.weight,
            material=spec.material,
            tracking=spec.tracking,
            attributes=spec.attributes,
            tags=[tags[t].pk for t in spec.tags],
        )
        items[spec.sku] = (item, spec)
        out.add("items")
        if spec.kg_per_sheet is not None:
            catalog.conversion_create(
                actor=actor, from_uom=units["sheet"], to_uom=units["kg"], factor=spec.kg_per_sheet, item=item
            )
            out.add("conversions")
        if spec.lines:
            bom = catalog.bom_create(actor=actor, item=item, notes="Demo data: initial release")
            operations = []
            for seq, (wc, text, setup, run) in enumerate(spec.ops, start=1):
                operations.append(
                    catalog.operation_add(
                        actor=actor,
                        bom=bom,
                        sequence=seq * 10,
                        work_center=wcs[wc],
                        description=text,
                        setup_minutes=setup,
                        run_minutes_per_unit=run.quantize(D("0.0001")),
                        queue_minutes=D(60) if spec.item_type != "finished" else D(30),
                        move_minutes=D(10),
                    )
                )
                out.add("operations")
            for pos, (component, qty, uom, scrap) in enumerate(spec.lines, start=1):
                catalog.bom_line_add(
                    actor=actor,
                    bom=bom,
                    position=pos * 10,
                    component=items[component][0],
                    quantity=qty.quantize(D("0.000001")),
                    uom=units[uom],
                    scrap_pct=scrap,
                    operation=operations[0] if operations else None,
                )
                out.add("BOM lines")
            catalog.bom_release(actor=actor, bom=bom)
            out.add("released BOMs")
    return units, items


def _stock(actor, out, sites, items):
    for code, site in sites.items():
        warehouse = inventory.location_create(
            actor=actor, code=f"{code}-WH", name=f"{site.name} warehouse", kind="warehouse", site=site
        )
        zones, bins = {}, {}
        zone_names = {"RAW": "Sheet and bar racks", "PUR": "Purchased parts", "PWD": "Powder store", "FG": "Dispatch"}
        for zone_code, zone_name in zone_names.items():
            zones[zone_code] = inventory.location_create(
                actor=actor, code=f"{code}-{zone_code}", name=zone_name, kind="zone", parent=warehouse
            )
            for n in range(1, 5 if zone_code in {"RAW", "PUR"} else 3):
                bin_code = f"{code}-{zone_code}-{n:02d}"
                bins.setdefault(zone_code, []).append(
                    inventory.location_create(
                        actor=actor, code=bin_code, name=f"{zone_name} bay {n}", kind="bin", parent=zones[zone_code]
                    )
                )
                out.add("bins")
        out.add("warehouses")
        out.add("zones", len(zones))
        for n, (sku, (item, spec)) in enumerate(items.items()):
            if spec.stock <= 0 or (code == "DAN" and not sku.startswith(DAN_ITEMS)):
                continue
            if spec.item_type in {"raw"}:
                zone = "RAW"
            elif sku.startswith("PWD-"):
                zone = "PWD"
            elif spec.item_type == "finished":
                zone = "FG"
            else:
                zone = "PUR"
            if spec.item_type in {"manufactured", "subassembly"}:
                continue
            location = bins[zone][n % len(bins[zone])]
            quantity = spec.stock if code == "WTP" else (spec.stock / 2).quantize(D("1")) or D(1)
            if spec.tracking == "serial":
                for k in range(1, int(quantity) + 1):
                    inventory.stock_receive(
                        actor=actor,
                        item=item,
                        location=location,
                        quantity=D(1),
                        lot=f"{sku}-SN{k:04d}",
                        unit_cost=item.standard_cost,
                        reference="Opening stock",
                    )
                    out.add("stock receipts")
                continue
            lot = supplier_ref = None
            if spec.tracking == "lot":
                lot = f"{code}-2611-{n:03d}"
                supplier_ref = f"HEAT {SEED + n * 37}" if spec.item_type == "raw" else f"BATCH {SEED + n * 11}"
            inventory.stock_receive(
                actor=actor,
                item=item,
                location=location,
                quantity=quantity,
                lot=lot,
                supplier_ref=supplier_ref or "",
                unit_cost=item.standard_cost,
                reference="Opening stock",
            )
            out.add("stock receipts")


def _people(actor, out, sites, wcs):
    skills = {name: people.skill_create(actor=actor, name=name, description=text) for name, text in SKILLS.items()}
    out.add("skills", len(skills))
    for number, first, last, title, dept, site, start, rate, centers, levels, role in EMPLOYEES:
        user = None
        if role:
            member = Membership.objects.filter(role=role, is_active=True).select_related("user").first()
            user = member.user if member else None
        people.employee_create(
            actor=actor,
            user=user,
            employee_number=number,
            first_name=first,
            last_name=last,
            job_title=title,
            department=dept,
            site=sites[site],
            employment_start=start,
            labour_rate=D(rate),
            work_centers=[wcs[c].pk for c in centers],
            skills=[{"skill": skills[name].pk, "level": level} for name, level in levels.items()],
        )
        out.add("employees")
