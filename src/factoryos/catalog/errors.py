"""Error codes of units, items and BOM revisions."""

from factoryos.kernel.errors import ErrorCode


class CatalogError(ErrorCode):
    CATEGORY_LOOP = "category_loop"
    BOUGHT_ITEM = "bought_item"
    COPY_FROM_OTHER_ITEM = "copy_from_other_item"
    BOM_LOOP = "bom_loop"
    SELF_COMPONENT = "self_component"
    OPERATION_OF_OTHER_REVISION = "operation_of_other_revision"
    EMPTY_BOM = "empty_bom"
    NO_CONVERSION = "no_conversion"
