from factoryos.kernel.schemas import bodies, reply
from factoryos.partners import services as f  # the fields each service takes
from factoryos.partners.models import (
    Contact,
    Partner,
    PartnerAddress,
    PartnerTaxId,
    PriceList,
    PriceListLine,
    SupplierItem,
    SupplierPriceBreak,
)

PartnerOut = reply(Partner, f.PartnerFields, extra={"terms": str})
PartnerIn, PartnerPatch = bodies(Partner, f.PartnerFields, defaulted=("currency",))  # the organization's

PartnerTaxIdOut = reply(PartnerTaxId, "partner", f.PartnerTaxIdFields)
PartnerTaxIdIn, PartnerTaxIdPatch = bodies(PartnerTaxId, "partner", f.PartnerTaxIdFields, fixed=("partner",))

PartnerAddressOut = reply(PartnerAddress, "partner", f.PartnerAddressFields)
PartnerAddressIn, PartnerAddressPatch = bodies(
    PartnerAddress, "partner", f.PartnerAddressFields, fixed=("partner",), defaulted=("country",)
)

ContactOut = reply(Contact, "partner", f.ContactFields)
ContactIn, ContactPatch = bodies(Contact, "partner", f.ContactFields, fixed=("partner",))

SupplierItemOut = reply(SupplierItem, "supplier", "item", f.SupplierItemFields)
SupplierItemIn, SupplierItemPatch = bodies(
    SupplierItem, "supplier", "item", f.SupplierItemFields, fixed=("supplier", "item"), defaulted=("currency",)
)

SupplierPriceBreakOut = reply(SupplierPriceBreak, "supplier_item", f.SupplierPriceBreakFields)
SupplierPriceBreakIn, SupplierPriceBreakPatch = bodies(
    SupplierPriceBreak, "supplier_item", f.SupplierPriceBreakFields, fixed=("supplier_item",)
)

PriceListOut = reply(PriceList, f.PriceListFields)
PriceListIn, PriceListPatch = bodies(PriceList, f.PriceListFields, defaulted=("currency",))  # the organization's

PriceListLineOut = reply(PriceListLine, "price_list", "item", f.PriceListLineFields)
PriceListLineIn, PriceListLinePatch = bodies(
    PriceListLine, "price_list", "item", f.PriceListLineFields, fixed=("price_list", "item")
)
