"""A service purchase order (an outside operation's) is received on the shop floor, not through a goods receipt: its
page says so instead of offering a receipt."""

from django.urls import reverse

from factoryos.kernel.tenancy import org_scope
from factoryos.purchasing.models import OPEN_FOR_RECEIPT, PurchaseOrder
from tests.factories import page_text


def test_a_service_order_page_points_to_the_shop_floor_instead_of_a_goods_receipt(world, owner):
    with org_scope(world.org):
        service = PurchaseOrder.objects.get(lines=world.objects["production.jobcard#at_supplier"].purchase_order_line)
        goods = PurchaseOrder.objects.filter(status__in=OPEN_FOR_RECEIPT, lines__item__isnull=False).first()
    assert service.status in OPEN_FOR_RECEIPT and goods is not None
    page = page_text(owner.get(reverse("purchasing:purchaseorder_detail", args=[service.pk])))
    assert 'id="services-only"' in page and "Start receipt" not in page
    assert "Start receipt" in page_text(owner.get(reverse("purchasing:purchaseorder_detail", args=[goods.pk])))
