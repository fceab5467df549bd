from test_ui_reports import *
def test_dump(movement):
    app = make_app("thon1")
    async def body(pilot):
        await open_dashboard(pilot)
        await pilot.press("enter"); await settle(pilot)
        a = screen_text(app)
        await pilot.press("escape"); await settle(pilot)
        await pilot.press("ctrl+t", "ctrl+t"); await settle(pilot)
        await pilot.press("enter"); await settle(pilot)
        b = screen_text(app)
        await pilot.press("ctrl+n"); await settle(pilot)
        c = screen_text(app)
        return a, b, c
    for x in run(app, body): print(x)
    app = make_app()
    async def body2(pilot):
        await open_dashboard(pilot)
        await pilot.press("ctrl+r"); await settle(pilot)
        a = screen_text(app)
        await pilot.press("escape"); await settle(pilot)
        await pilot.press("ctrl+y"); await settle(pilot)
        return a, screen_text(app)
    for x in run(app, body2): print(x)
