"""The demo shop's data file (factoryos/demo/shop.toml), read without a database: what it names is defined (an
item's components above it), and the standard costs rolled up from it stay put."""

from decimal import Decimal

from factoryos.demo import shop


def test_every_code_in_the_data_file_is_defined():
    data = shop.data()
    sites = {site["code"] for site in data["sites"]}
    work_centers = {wc["code"] for wc in data["work_centers"] if wc["site"] in sites}
    catalogue = data["catalogue"]
    units = {unit["code"] for unit in catalogue["units"]}
    categories = {*catalogue["categories"], *(name for names in catalogue["categories"].values() for name in names)}
    zoned = {category for zone in data["stock"]["zones"] for category in zone["categories"]}
    above: set[str] = set()
    for row in shop.item_rows(data):
        sku = row["sku"]
        assert sku not in above, f"{sku} twice"
        assert row.get("uom", "ea") in units and row["category"] in categories, sku
        assert set(row.get("tags", [])) <= set(catalogue["tags"]), sku
        assert not row.get("stock") or row["category"] in zoned, f"{sku}: no zone keeps its category"
        for component, _qty, uom, _scrap in row.get("bom", []):
            assert component in above, f"{sku}: {component} is not above it"
            assert uom in units, f"{sku}: {uom}"
        for wc, *_ in row.get("routing", []):
            assert wc in work_centers, f"{sku}: {wc}"
        above.add(sku)
    for employee in data["employees"]:
        assert employee["site"] in sites and set(employee["work_centers"]) <= work_centers
        assert set(employee["skills"]) <= set(data["skills"])
        assert employee.get("login", "owner") in data["logins"]


def test_the_standard_costs_roll_up_from_the_data_file():
    specs = shop.item_specs(shop.data())
    assert len(specs) == 238 and sum(1 for spec in specs.values() if spec.lines) == 100
    costs = {
        "FST-FW-M6": "0.0367",
        "MP-SWB-UPR": "47.31",
        "SA-SWB-CAB": "1392.08",
        "SWB-2000-800-X15": "1876.83",
        "ENC-MS-300300200": "281.87",
        "ENC-SS-800600300": "517.13",
        "GRD-KIT-6M": "1586.15",
        "BIN-SS-240": "619.26",
        "RCK-1200-5L": "683.13",
    }
    assert {sku: specs[sku].cost for sku in costs} == {sku: Decimal(cost) for sku, cost in costs.items()}
