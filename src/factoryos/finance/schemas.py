from factoryos.finance import services as f  # the fields each service takes
from factoryos.finance.models import ExchangeRate, NumberSequence, TaxCode
from factoryos.kernel.schemas import bodies, reply

TaxCodeOut = reply(TaxCode, f.TaxCodeFields)
TaxCodeIn, TaxCodePatch = bodies(TaxCode, f.TaxCodeFields)
ExchangeRateOut = reply(ExchangeRate, f.ExchangeRateFields)
ExchangeRateIn, ExchangeRatePatch = bodies(ExchangeRate, f.ExchangeRateFields)
SequenceOut = reply(NumberSequence, f.SequenceFields)
_, SequencePatch = bodies(NumberSequence, f.SequenceFields)
