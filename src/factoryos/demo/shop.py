"""A demo organization's sheet-metal fabrication shop, loaded from the data file ``shop.toml`` next to this module
(read it first: it describes the shop, its fields and conventions): sites with their calendars, work centers,
catalogue, BOMs with routings, warehouses with opening stock, a few employees and some months of trade
(demo/trade.py); and, for seed_demo, the demo organization with its logins.

Everything goes through the services (validated and audited like real data), in the file's order, so two fresh loads
are identical. ``load_shop`` must run inside ``transaction.atomic()`` and ``org_scope(org)``; it loads nothing when
the main plant (the file's first site) already exists.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from factoryos.catalog import services as catalog
from factoryos.catalog.models import Item, UomKind
from factoryos.core.models import Membership
from factoryos.demo import make, trade
from factoryos.facilities import services as facilities
from factoryos.facilities.models import Site, WorkCenterKind
from factoryos.inventory import services as inventory
from factoryos.inventory.models import Location
from factoryos.partners import services as partners
from factoryos.people import services as people

DATA_FILE = Path(__file__).with_name("shop.toml")
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
LOT_SEED = 2026  # the opening stock's made-up heat and batch numbers count from here


@cache
def data() -> dict[str, Any]:
    """The data file, read once."""
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


def dec(value: int | float | str) -> Decimal:
    """A number of the data file as an exact decimal: "4.50" stays 4.50."""
    return Decimal(str(value))


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# -- the items, as plain data ---------------------------------------------------------------------------------------
@dataclass
class Spec:
    """An item as the data file gives it, its numbers as decimals (a made item's cost: rolled up)."""

    sku: str
    name: str
    item_type: str
    uom: str
    category: str
    cost: Decimal
    lead: int
    rop: Decimal
    roq: Decimal
    tracking: str
    material: str
    weight: Decimal | None
    tags: list[str]
    attributes: dict[str, Any]
    kg_per_sheet: Decimal | None
    # made items: lines (component sku, quantity, unit code, scrap %) and operations (wc, text, setup, run)
    lines: list[tuple[str, Decimal, str, Decimal]] = field(default_factory=list)
    ops: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)
    stock: Decimal = Decimal(0)


def _spec(row: dict[str, Any], making: dict[str, Any]) -> Spec:
    return Spec(
        sku=row["sku"],
        name=row["name"],
        item_type=row["type"],
        uom=row.get("uom", "ea"),
        category=row["category"],
        cost=dec(row.get("cost", 0)),
        lead=row.get("lead_days", making["lead_days"].get(row["type"], 0)),
        rop=dec(row.get("rop", 0)),
        roq=dec(row.get("roq", 0)),
        tracking=row.get("tracking", "none"),
        material=row.get("material", ""),
        weight=dec(row["weight_kg"]) if "weight_kg" in row else None,
        tags=list(row.get("tags", [])),
        attributes=dict(row.get("attributes", {})),
        kg_per_sheet=dec(row["kg_per_sheet"]) if "kg_per_sheet" in row else None,
        lines=[(sku, dec(qty), uom, dec(scrap)) for sku, qty, uom, scrap in row.get("bom", [])],
        ops=[(wc, text, dec(setup), dec(run)) for wc, text, setup, run in row.get("routing", [])],
        stock=dec(row.get("stock", 0)),
    )


def item_rows(shop: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each item's fields, in the file's order: a bought item's over its group's, then the made items'."""
    for group in shop["buy"]:
        shared = {k: v for k, v in group.items() if k != "items"}
        for item in group["items"]:
            yield {**shared, **item}
    yield from shop["make"]


def item_specs(shop: dict[str, Any]) -> dict[str, Spec]:
    """The items in the file's order, each made item's standard cost rolled up from the items above it (see
    [making] in the data file)."""
    making = shop["making"]
    rates = {wc["code"]: dec(wc["machine_rate"]) + dec(wc["labour_rate"]) for wc in shop["work_centers"]}
    factors = {(c["from"], c["to"]): dec(c["factor"]) for c in shop["catalogue"]["conversions"]}
    specs: dict[str, Spec] = {}

    def base_qty(sku: str, qty: Decimal, uom: str) -> Decimal:
        """``qty`` ``uom`` of ``sku`` in its own unit."""
        spec = specs[sku]
        if uom == spec.uom:
            return qty
        if (spec.uom, uom) == ("sheet", "kg") and spec.kg_per_sheet is not None:
            return qty / spec.kg_per_sheet
        if (spec.uom, uom) in factors:
            return qty / factors[spec.uom, uom]
        raise ValueError(f"{sku}: no conversion from {uom} to {spec.uom}")

    for row in item_rows(shop):
        spec = _spec(row, making)
        assert spec.sku not in specs, spec.sku
        if spec.lines:
            material = sum(
                (specs[c].cost * base_qty(c, q, u) * (1 + s / 100) for c, q, u, s in spec.lines), Decimal("0")
            )
            conversion = sum(
                ((setup / making["batch"] + run) * rates[wc] / 60 for wc, _, setup, run in spec.ops), Decimal("0")
            )
            spec.cost = _money(material + conversion)
        specs[spec.sku] = spec
    return specs


# -- loading ------------------------------------------------------------------------------------------------------
@dataclass
class Loaded:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def main_site() -> str:
    return data()["sites"][0]["code"]


def shop_loaded() -> bool:
    return Site.objects.filter(code=main_site()).exists()


def load_shop(actor: Membership) -> dict[str, int] | None:
    """Load the shop into the current organization; None when it is there already."""
    if shop_loaded():
        return None
    shop = data()
    out = Loaded()
    sites, wcs = _facilities(actor, out, shop)
    _partners(actor, out, shop)
    items = _catalogue(actor, out, shop, wcs)
    _stock(actor, out, shop, sites, items)
    _people(actor, out, shop, sites, wcs)
    receiving = Location.objects.filter(kind="bin", code__startswith=f"{main_site()}-").order_by("code").first()
    trade.load_trade(actor, out, receiving)
    make.load_make(actor, out, main_site())
    return out.counts


def _facilities(actor, out, shop):
    sites, calendars, wcs = {}, {}, {}
    national = list(shop["national_holidays"].items())
    for row in shop["sites"]:
        site = facilities.site_create(actor=actor, **{k: v for k, v in row.items() if k != "calendar"})
        plan = row["calendar"]
        calendar = facilities.calendar_create(actor=actor, name=plan["name"], site=site)
        for weekday in (WEEKDAYS.index(day) for day in plan["workdays"]):
            for shift in plan["shifts"]:
                facilities.shift_create(actor=actor, calendar=calendar, weekday=weekday, **shift)
                out.add("shifts")
        holidays = national + list(plan.get("holidays", {}).items())
        for day, name in sorted((date.fromisoformat(day), name) for day, name in holidays):
            facilities.holiday_create(actor=actor, calendar=calendar, date=day, name=name)
            out.add("holidays")
        sites[site.code], calendars[site.code] = site, calendar
        out.add("sites")
        out.add("calendars")
    for row in shop["work_centers"]:
        wcs[row["code"]] = facilities.work_center_create(
            actor=actor,
            site=sites[row["site"]],
            code=row["code"],
            name=row["name"],
            kind=WorkCenterKind(row["kind"]),
            machines=row["machines"],
            machine_rate=dec(row["machine_rate"]),
            labour_rate=dec(row["labour_rate"]),
            efficiency_pct=dec(row["efficiency_pct"]),
            calendar=calendars[row["site"]],
        )
        out.add("work centers")
    return sites, wcs


def _partners(actor, out, shop):
    for row in shop["partners"]:
        limit = row.get("credit_limit")
        partners.partner_create(actor=actor, **{**row, "credit_limit": dec(limit) if limit else None})
        out.add("partners")


def _catalogue(actor, out, shop, wcs):
    making = shop["making"]
    units = {
        row["code"]: catalog.uom_create(actor=actor, code=row["code"], name=row["name"], kind=UomKind(row["kind"]))
        for row in shop["catalogue"]["units"]
    }
    out.add("units", len(units))
    for row in shop["catalogue"]["conversions"]:
        catalog.conversion_create(
            actor=actor, from_uom=units[row["from"]], to_uom=units[row["to"]], factor=dec(row["factor"])
        )
        out.add("conversions")
    categories = {}
    for top, subcategories in shop["catalogue"]["categories"].items():
        categories[top] = catalog.category_create(actor=actor, name=top, parent=None)
        for name in subcategories:
            categories[name] = catalog.category_create(actor=actor, name=name, parent=categories[top])
    out.add("categories", len(categories))
    tags = {name: catalog.tag_create(actor=actor, name=name) for name in shop["catalogue"]["tags"]}
    items: dict[str, tuple[Item, Spec]] = {}
    for spec in item_specs(shop).values():
        item = catalog.item_create(
            actor=actor,
            sku=spec.sku,
            name=spec.name,
            item_type=spec.item_type,
            uom=units[spec.uom],
            category=categories[spec.category],
            standard_cost=_money(spec.cost),
            lead_time_days=spec.lead,
            safety_stock=(spec.rop / 2).quantize(Decimal("1")),
            reorder_point=spec.rop,
            reorder_qty=spec.roq,
            min_order_qty=spec.roq if spec.item_type in {"raw", "purchased"} else Decimal(0),
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
            bom = catalog.bom_create(actor=actor, item=item, notes=making["bom_notes"])
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
                        run_minutes_per_unit=run.quantize(Decimal("0.0001")),
                        queue_minutes=dec(making["queue_minutes"][spec.item_type]),
                        move_minutes=dec(making["move_minutes"]),
                    )
                )
                out.add("operations")
            for pos, (component, qty, uom, scrap) in enumerate(spec.lines, start=1):
                catalog.bom_line_add(
                    actor=actor,
                    bom=bom,
                    position=pos * 10,
                    component=items[component][0],
                    quantity=qty.quantize(Decimal("0.000001")),
                    uom=units[uom],
                    scrap_pct=scrap,
                    operation=operations[0] if operations else None,
                )
                out.add("BOM lines")
            catalog.bom_release(actor=actor, obj=bom)
            out.add("released BOMs")
    return items


def _stock(actor, out, shop, sites, items):
    main = main_site()
    zone_of = {category: zone["code"] for zone in shop["stock"]["zones"] for category in zone["categories"]}
    for code, site in sites.items():
        warehouse = inventory.location_create(
            actor=actor, code=f"{code}-WH", name=f"{site.name} warehouse", kind="warehouse", site=site
        )
        zones, bins = {}, {}
        for row in shop["stock"]["zones"]:
            zone_code, zone_name = row["code"], row["name"]
            zones[zone_code] = inventory.location_create(
                actor=actor, code=f"{code}-{zone_code}", name=zone_name, kind="zone", parent=warehouse
            )
            for n in range(1, row["bins"] + 1):
                bins.setdefault(zone_code, []).append(
                    inventory.location_create(
                        actor=actor,
                        code=f"{code}-{zone_code}-{n:02d}",
                        name=f"{zone_name} bay {n}",
                        kind="bin",
                        parent=zones[zone_code],
                    )
                )
                out.add("bins")
        out.add("warehouses")
        out.add("zones", len(zones))
        branch_items = tuple(shop["stock"]["branches"].get(code, ()))
        for n, (sku, (item, spec)) in enumerate(items.items()):
            if spec.stock <= 0 or (code != main and not sku.startswith(branch_items)):
                continue
            if spec.category not in zone_of:
                raise ValueError(f"{sku}: opening stock, but no zone of [stock] keeps {spec.category!r}")
            zone = zone_of[spec.category]
            location = bins[zone][n % len(bins[zone])]
            quantity = spec.stock if code == main else (spec.stock / 2).quantize(Decimal("1")) or Decimal(1)
            if spec.tracking == "serial":
                for k in range(1, int(quantity) + 1):
                    inventory.stock_receive(
                        actor=actor,
                        item=item,
                        location=location,
                        quantity=Decimal(1),
                        lot=f"{sku}-SN{k:04d}",
                        unit_cost=item.standard_cost,
                        reference="Opening stock",
                    )
                    out.add("stock receipts")
                continue
            lot = supplier_ref = None
            if spec.tracking == "lot":
                lot = f"{code}-2611-{n:03d}"
                supplier_ref = f"HEAT {LOT_SEED + n * 37}" if spec.item_type == "raw" else f"BATCH {LOT_SEED + n * 11}"
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


def _people(actor, out, shop, sites, wcs):
    skills = {
        name: people.skill_create(actor=actor, name=name, description=text) for name, text in shop["skills"].items()
    }
    out.add("skills", len(skills))
    for row in shop["employees"]:
        user = None
        if row.get("login"):
            member = Membership.objects.filter(role=row["login"], is_active=True).select_related("user").first()
            user = member.user if member else None
        people.employee_create(
            actor=actor,
            user=user,
            employee_number=row["employee_number"],
            first_name=row["first_name"],
            last_name=row["last_name"],
            job_title=row["job_title"],
            department=row["department"],
            site=sites[row["site"]],
            employment_start=row["employment_start"],
            labour_rate=dec(row["labour_rate"]),
            work_centers=[wcs[c].pk for c in row["work_centers"]],
            skills=[{"skill": skills[name].pk, "level": level} for name, level in row["skills"].items()],
        )
        out.add("employees")
