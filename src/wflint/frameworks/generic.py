"""Workflows declared with the decorators named in config workflow-decorators."""

from wflint.frameworks.model import Framework

FRAMEWORK = Framework(
    name="generic",
    title="configured workflow decorator",
    modules=(),
    markers=(),
    style="any",
    context="first",
    configured=True,
    alternatives={
        "*": "move it into an activity or step and call it through the framework",
        "WFL501": "guard it with the framework's replay flag",
        "WFL502": "guard it with the framework's replay flag",
        "WFL601": "bound the loop or restart the workflow with continue-as-new",
    },
)
