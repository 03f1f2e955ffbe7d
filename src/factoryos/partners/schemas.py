from factoryos.kernel.schemas import bodies, reply
from factoryos.partners import services as f  # the fields each service takes
from factoryos.partners.models import Partner

PartnerOut = reply(Partner, f.PartnerFields)
PartnerIn, PartnerPatch = bodies(Partner, f.PartnerFields, defaulted=("currency",))  # the organization's
