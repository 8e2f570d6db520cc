from wflint.rules.base import Rule


class UnreadableFile(Rule):
    """
    ## What it does
    Reports a file that cannot be read or decoded: permission denied, a NUL byte, bytes that
    are not valid in the file's encoding, or an unknown encoding cookie.

    ## Why is this bad?
    wflint cannot check what it cannot read. The rest of the run goes on.

    ## Example
    ```python
    # -*- coding: no-such-codec -*-
    from dapr.ext.workflow import DaprWorkflowContext
    ```

    ## Use instead
    ```python
    # -*- coding: utf-8 -*-
    from dapr.ext.workflow import DaprWorkflowContext
    ```
    """

    code = "WFL002"
