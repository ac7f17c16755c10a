"""The drafts' and cancelled items' ids were read from this partial index for every "live" filter;
since 0013 the assignments carry a `live` flag and nothing asks the question any more."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tracker", "0013_assignment_live_flag")]

    operations = [migrations.RemoveIndex(model_name="actionitem", name="item_not_live_idx")]
