"""Order to cash and procure to pay through the REST API alone (issue 8, "the same chain through the API").

Each test starts from a new organization (AU: AUD, GST 10 %) and makes its master data through /api/v1/ too, then
walks one chain end to end with an API key, checking quantities and money against numbers worked by hand (money is
rounded per line, half up; totals are the sums of the rounded lines).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client

from factoryos.kernel.tenancy import org_scope
from tests.factories import add_member, key_client, make_key, make_org

pytestmark = pytest.mark.django_db


class Api:
    """A thin JSON client of /api/v1/ that asserts each answer's status and returns its body."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def get(self, path: str, params: dict[str, Any] | None = None, status: int = 200) -> Any:
        response = self.client.get(f"/api/v1/{path}", params or {})
        assert response.status_code == status, (path, response.content)
        return response.json()

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 201) -> Any:
        response = self.client.post(f"/api/v1/{path}", body or {}, content_type="application/json")
        assert response.status_code == status, (path, response.content)
        return response.json()

    def items(self, path: str, **params: Any) -> list[dict[str, Any]]:
        return self.get(path, params)["items"]


def _shop(*roles: str) -> tuple[Api, dict[str, Api]]:
    """A new organization: an API client of its owner, and one of a new member in each of ``roles``."""
    org, owner = make_org()
    others = {}
    for role in roles:
        with org_scope(org):
            member = add_member(org, role=role)
        others[role] = Api(key_client(make_key(member)[1]))
    return Api(key_client(make_key(owner)[1])), others


def _premises(api: Api) -> tuple[int, int]:
    """A site with a warehouse location, and the unit "each": (location id, unit id)."""
    site = api.post("sites", {"code": "MEL", "name": "Melbourne works"})
    body = {"code": "WH", "name": "Main warehouse", "kind": "warehouse", "site": site["id"]}
    return api.post("locations", body)["id"], api.post("units", {"code": "ea", "name": "Each", "kind": "count"})["id"]


def _item(api: Api, uom: int, sku: str, item_type: str, cost: str) -> int:
    body = {"sku": sku, "name": sku.title(), "item_type": item_type, "uom": uom, "standard_cost": cost}
    return api.post("items", body)["id"]


def _level(api: Api, item: int, location: int) -> tuple[D, D]:
    """(on hand, reserved) of an untracked item at a location."""
    rows = api.items("stock-levels", item=item, location=location)
    assert len(rows) == 1, rows
    return D(rows[0]["on_hand"]), D(rows[0]["reserved"])


def _money(document: dict[str, Any]) -> tuple[D, D, D]:
    return D(document["net_total"]), D(document["tax_total"]), D(document["total"])


def test_sell_quote_to_cash_through_the_api():
    """Quote -> order -> shipment -> invoice -> payment, with GST 10 % worked by hand:

        WID-1   4 x 12.50 = 50.00   GST 5.00            gross 55.00
        BRK-1   3 x  7.35 = 22.05   GST 2.205 -> 2.21   gross 24.26
        Freight 1 x 35.00 = 35.00   GST 3.50            gross 38.50
        totals            107.05        10.71                 117.76

    Opening stock 10 WID-1 and 5 BRK-1: confirming reserves 4 and 3, shipping leaves 6 and 2 on hand.
    """
    api, _ = _shop()
    wh, ea = _premises(api)
    widget = _item(api, ea, "WID-1", "finished", "6.00")
    bracket = _item(api, ea, "BRK-1", "purchased", "3.00")
    api.post("stock/receipts", {"item": widget, "location": wh, "quantity": "10", "unit_cost": "6.00"})
    api.post("stock/receipts", {"item": bracket, "location": wh, "quantity": "5", "unit_cost": "3.00"})
    customer = api.post("partners", {"code": "ACME", "legal_name": "Acme Fabrication Pty Ltd", "is_customer": True})

    # The quote: two item lines and a free-text freight line (no item), at the default tax code (GST 10 %).
    quote = api.post("quotes", {"partner": customer["id"]})
    assert quote["status"] == "draft" and quote["number"] == "QU-00001" and quote["currency"] == "AUD"
    lines = [
        {"item": widget, "quantity": "4", "unit_price": "12.50"},
        {"item": bracket, "quantity": "3", "unit_price": "7.35"},
        {"description": "Freight to Dandenong", "quantity": "1", "unit_price": "35.00"},
    ]
    added = [api.post("quote-lines", {"quote": quote["id"], **line}) for line in lines]
    assert [(D(a["net"]), D(a["tax"]), D(a["gross"])) for a in added] == [
        (D("50.00"), D("5.00"), D("55.00")),
        (D("22.05"), D("2.21"), D("24.26")),
        (D("35.00"), D("3.50"), D("38.50")),
    ]
    assert {D(a["tax_rate"]) for a in added} == {D("10")}
    assert _money(api.get(f"quotes/{quote['id']}")) == (D("107.05"), D("10.71"), D("117.76"))

    # Send, accept: a sales order with the same lines and money.
    assert api.post(f"quotes/{quote['id']}/send", status=200)["status"] == "sent"
    order = api.post(f"quotes/{quote['id']}/accept", {"customer_reference": "ACME-PO-77"})
    assert api.get(f"quotes/{quote['id']}")["status"] == "accepted"
    assert order["status"] == "draft" and order["quote_id"] == quote["id"] and order["number"] == "SO-00001"
    assert _money(order) == (D("107.05"), D("10.71"), D("117.76"))

    # Confirm: the item lines' stock is reserved (the freight line reserves nothing).
    confirmed = api.post(f"sales-orders/{order['id']}/confirm", status=200)
    assert confirmed["status"] == "confirmed"
    order_lines = api.items("sales-order-lines", order=order["id"], ordering="position")
    assert [(ln["item_id"], D(ln["quantity"]), D(ln["reserved"])) for ln in order_lines] == [
        (widget, D("4"), D("4")),
        (bracket, D("3"), D("3")),
        (None, D("1"), D("0")),
    ]
    assert _level(api, widget, wh) == (D("10"), D("4"))
    assert _level(api, bracket, wh) == (D("5"), D("3"))

    # A shipment of the order, its lines proposed from the reservations; pack, ship.
    proposal = api.get(f"sales-orders/{order['id']}/shipment-proposal")
    assert sorted((p["item_id"], p["location_id"], D(p["quantity"])) for p in proposal) == sorted(
        [(widget, wh, D("4")), (bracket, wh, D("3"))]
    )
    shipment = api.post(f"sales-orders/{order['id']}/shipments", {"carrier": "StarTrack"})
    assert shipment["status"] == "picking" and shipment["number"] == "SH-00001"
    picked = api.items("shipment-lines", shipment=shipment["id"])
    assert sorted((p["item_id"], D(p["quantity"])) for p in picked) == sorted([(widget, D("4")), (bracket, D("3"))])
    assert api.post(f"shipments/{shipment['id']}/pack", status=200)["status"] == "packed"
    assert api.post(f"shipments/{shipment['id']}/ship", status=200)["status"] == "shipped"
    assert _level(api, widget, wh) == (D("6"), D("0"))
    assert _level(api, bracket, wh) == (D("2"), D("0"))
    assert api.get(f"sales-orders/{order['id']}")["status"] == "shipped"
    shipped = api.items("sales-order-lines", order=order["id"], ordering="position")
    assert [(D(ln["shipped"]), D(ln["reserved"])) for ln in shipped[:2]] == [(D("4"), D("0")), (D("3"), D("0"))]

    # The invoice from the shipment: what it carried, at the order's prices (the freight line did not ship, so it
    # is added from its order line), then issued: INV-00001, due on the customer's terms.
    invoice = api.post("invoices/from-shipment", {"shipment": shipment["id"]})
    assert invoice["status"] == "draft" and invoice["reference"] == "ACME-PO-77"
    assert _money(invoice) == (D("72.05"), D("7.21"), D("79.26"))  # the two item lines: 50.00 + 22.05, 5.00 + 2.21
    freight = order_lines[2]
    api.post(
        "invoice-lines",
        {
            "invoice": invoice["id"],
            "order_line": freight["id"],
            "description": freight["description"],
            "quantity": "1",
            "unit_price": freight["unit_price"],
        },
    )
    issued = api.post(f"invoices/{invoice['id']}/issue", {}, status=200)
    assert issued["status"] == "issued" and issued["number"] == "INV-00001"
    assert _money(issued) == (D("107.05"), D("10.71"), D("117.76")) and D(issued["balance"]) == D("117.76")
    billed = api.items("invoice-lines", invoice=invoice["id"], ordering="position")
    assert [(b["item_id"], D(b["quantity"]), D(b["gross"]), b["order_line_id"]) for b in billed] == [
        (widget, D("4"), D("55.00"), order_lines[0]["id"]),
        (bracket, D("3"), D("24.26"), order_lines[1]["id"]),
        (None, D("1"), D("38.50"), freight["id"]),
    ]
    assert [b["shipment_line_id"] for b in billed[2:]] == [None]
    assert {b["shipment_line_id"] for b in billed[:2]} == {p["id"] for p in picked}
    issued_on = date.fromisoformat(issued["issued_on"])
    assert date.fromisoformat(issued["due_date"]) == issued_on + timedelta(days=30)  # the default terms: net 30
    everything = api.post("invoices/from-order", {"order": order["id"]}, status=400)  # nothing is billed twice
    assert everything["errors"][0]["field"] == "order"
    aging = api.get("books/reports/ar-aging")
    assert [(r["code"], D(r["total"])) for r in aging["rows"]] == [("ACME", D("117.76"))]

    # The customer pays in full, allocated to the invoice: paid, nothing left open.
    payment = api.post(
        "payments",
        {
            "direction": "in",
            "partner": customer["id"],
            "amount": "117.76",
            "reference": "EFT 3391",
            "allocations": [{"invoice": invoice["id"], "amount": "117.76"}],
        },
    )
    assert payment["number"] == "RCPT-00001"
    assert D(payment["allocated"]) == D("117.76") and D(payment["unallocated"]) == D("0")
    paid = api.get(f"invoices/{invoice['id']}")
    assert paid["status"] == "paid" and D(paid["amount_paid"]) == D("117.76") and D(paid["balance"]) == D("0")
    assert api.get("books/reports/ar-aging")["rows"] == []


def test_buy_requisition_to_payment_through_the_api():
    """Requisition -> RFQ to two suppliers -> PO -> receipt -> bill -> payment, worked by hand:

    20 ROD-12 asked of two suppliers: ALPHA 5.50 (110.00), BETA 5.80 (116.00): ALPHA is the cheapest.
    PO to ALPHA: 20 x 5.50 = 110.00, GST 11.00, total 121.00: over the buyer's approval limit of 100.00.
    Stock 10 on hand at 4.00; 20 received at 5.50 -> 30 at (10 x 4.00 + 20 x 5.50) / 30 = 150.00 / 30 = 5.00.
    """
    api, members = _shop("purchasing")
    buyer = members["purchasing"]
    wh, ea = _premises(api)
    rod = _item(api, ea, "ROD-12", "raw", "4.00")
    api.post("stock/receipts", {"item": rod, "location": wh, "quantity": "10", "unit_cost": "4.00"})
    assert D(api.get("stock/valuation")["total"]) == D("40.00")
    api.post("approval-limits", {"role": "purchasing", "max_amount": "100.00"})
    alpha = api.post("partners", {"code": "ALPHA", "legal_name": "Alpha Metals Pty Ltd", "is_supplier": True})
    beta = api.post("partners", {"code": "BETA", "legal_name": "Beta Steel Pty Ltd", "is_supplier": True})

    # The buyer asks for 20; the owner approves.
    requisition = buyer.post("requisitions", {"notes": "Rod for the frame job"})
    assert requisition["number"] == "PR-00001" and requisition["status"] == "draft"
    buyer.post("requisition-lines", {"requisition": requisition["id"], "item": rod, "quantity": "20"})
    assert buyer.post(f"requisitions/{requisition['id']}/submit", status=200)["status"] == "submitted"
    assert api.post(f"requisitions/{requisition['id']}/approve", status=200)["status"] == "approved"

    # An RFQ of the requisition to both suppliers; both answer; the comparison marks ALPHA the cheapest.
    rfq = buyer.post("rfqs", {"requisition": requisition["id"], "suppliers": [alpha["id"], beta["id"]]})
    assert rfq["number"] == "RFQ-00001" and rfq["status"] == "draft"
    (rfq_line,) = buyer.items("rfq-lines", rfq=rfq["id"])
    assert rfq_line["item_id"] == rod and D(rfq_line["quantity"]) == D("20")
    asked = {s["supplier_id"]: s["id"] for s in buyer.items("rfq-suppliers", rfq=rfq["id"])}
    assert set(asked) == {alpha["id"], beta["id"]}
    assert buyer.post(f"rfqs/{rfq['id']}/send", status=200)["status"] == "sent"
    for supplier, price, days in ((alpha, "5.50", 10), (beta, "5.80", 5)):
        body = {"rfq_supplier": asked[supplier["id"]], "rfq_line": rfq_line["id"], "unit_price": price}
        buyer.post("supplier-quotes", {**body, "lead_time_days": days})
    compared = buyer.get(f"rfqs/{rfq['id']}/compare")
    totals = {s["supplier_id"]: D(s["total"]) for s in compared["suppliers"]}
    assert totals == {alpha["id"]: D("110.00"), beta["id"]: D("116.00")}
    (line,) = compared["lines"]
    assert line["cheapest_rfq_supplier_id"] == asked[alpha["id"]]
    assert {a["supplier_id"]: a["cheapest"] for a in line["answers"]} == {alpha["id"]: True, beta["id"]: False}

    # Award (the cheapest by default): one draft PO to ALPHA; submitted over the limit it waits for the owner.
    awarded = buyer.post(f"rfqs/{rfq['id']}/award", {})
    assert awarded["rfq"]["status"] == "awarded"
    (po,) = awarded["purchase_orders"]
    assert po["partner_id"] == alpha["id"] and po["status"] == "draft" and po["number"] == "PO-00001"
    po = buyer.get(f"purchase-orders/{po['id']}")
    assert _money(po) == (D("110.00"), D("11.00"), D("121.00"))
    assert buyer.get(f"requisitions/{requisition['id']}")["status"] == "ordered"
    assert buyer.post(f"purchase-orders/{po['id']}/submit", status=200)["status"] == "pending_approval"
    assert api.post(f"purchase-orders/{po['id']}/approve", status=200)["status"] == "approved"
    assert buyer.post(f"purchase-orders/{po['id']}/send", status=200)["status"] == "sent"

    # The receipt of everything outstanding, posted: stock up, the moving average re-weighted.
    receipt = buyer.post("receipts", {"purchase_order": po["id"], "location": wh, "supplier_reference": "DN-5521"})
    assert receipt["number"] == "GR-00001" and receipt["status"] == "draft"
    (received,) = buyer.items("receipt-lines", receipt=receipt["id"])
    assert D(received["quantity"]) == D("20") and D(received["unit_cost"]) == D("5.50")
    assert buyer.post(f"receipts/{receipt['id']}/post", status=200)["status"] == "posted"
    assert _level(api, rod, wh) == (D("30"), D("0"))
    assert D(api.get("stock/valuation")["total"]) == D("150.00")  # 30 x 5.00
    moves = api.items("stock-moves", item=rod)
    assert sorted((m["reason"], D(m["quantity"]), D(m["unit_cost"]), m["to_location_id"]) for m in moves) == [
        ("receipt", D("10"), D("4.00"), wh),
        ("receipt", D("20"), D("5.50"), wh),
    ]
    assert "GR-00001" in {m["reference"] for m in moves}
    po = api.get(f"purchase-orders/{po['id']}")
    assert po["status"] == "received"
    (po_line,) = api.items("purchase-order-lines", purchase_order=po["id"])
    assert (D(po_line["received"]), D(po_line["outstanding"])) == (D("20"), D("0"))

    # The supplier's bill from the order: three-way matched (ordered = received = billed at the PO price).
    bill = api.post("bills/from-order", {"order": po["id"]})
    assert bill["status"] == "draft" and bill["match_status"] == "matched"
    assert _money(bill) == (D("110.00"), D("11.00"), D("121.00"))
    (bill_line,) = api.items("bill-lines", bill=bill["id"])
    assert bill_line["po_line_id"] == po_line["id"] and bill_line["match_status"] == "matched"
    approved = api.post(f"bills/{bill['id']}/approve", {}, status=200)
    assert approved["status"] == "approved" and approved["number"] == "BILL-00001"
    bill_date = date.fromisoformat(approved["bill_date"])
    assert date.fromisoformat(approved["due_date"]) == bill_date + timedelta(days=30)
    assert D(api.get(f"purchase-order-lines/{po_line['id']}")["billed"]) == D("20")
    assert [(r["code"], D(r["total"])) for r in api.get("books/reports/ap-aging")["rows"]] == [("ALPHA", D("121.00"))]

    # Paid in full, allocated to the bill.
    payment = api.post(
        "payments",
        {
            "direction": "out",
            "partner": alpha["id"],
            "amount": "121.00",
            "allocations": [{"bill": bill["id"], "amount": "121.00"}],
        },
    )
    assert payment["number"] == "PAY-00001" and D(payment["unallocated"]) == D("0")
    paid = api.get(f"bills/{bill['id']}")
    assert paid["status"] == "paid" and D(paid["balance"]) == D("0")
    assert api.get("books/reports/ap-aging")["rows"] == []
