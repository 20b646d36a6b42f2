<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>MainWindow</name>
    <message>
        <source>Lesson</source>
        <extracomment>The window&apos;s size on a first start (a remembered size wins; both are fitted to the screen). File → New opens this built-in scenario.</extracomment>
        <translation>課程</translation>
    </message>
    <message>
        <source>Step inspector</source>
        <translation>步驟檢視器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新增(&amp;N)</translation>
    </message>
    <message>
        <source>a new scenario (the default saddle)</source>
        <translation>新的情境（預設的鞍點）</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>開啟(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>儲存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>另存新檔(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近開啟(&amp;R)</translation>
    </message>
    <message>
        <source>Export trajectories as &amp;CSV…</source>
        <translation>將軌跡匯出為 &amp;CSV…</translation>
    </message>
    <message>
        <source>Export trajectories as &amp;JSON…</source>
        <translation>將軌跡匯出為 &amp;JSON…</translation>
    </message>
    <message>
        <source>Export &amp;animation…</source>
        <translation>匯出動畫(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編輯(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>復原(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>執行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Play / pause</source>
        <translation>播放／暫停(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>下一步(&amp;S)</translation>
    </message>
    <message>
        <source>Step &amp;back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Reset to t = 0</source>
        <translation>重設到 t = 0(&amp;R)</translation>
    </message>
    <message>
        <source>Jump to the &amp;end</source>
        <translation>跳到結尾(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Add run</source>
        <translation>新增路徑(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Duplicate run</source>
        <translation>複製路徑(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <source>3D surface</source>
        <translation>3D 曲面</translation>
    </message>
    <message>
        <source>Contour map</source>
        <translation>等高線圖</translation>
    </message>
    <message>
        <source>Loss plot</source>
        <translation>損失曲線</translation>
    </message>
    <message>
        <source>Controls and inspector</source>
        <translation>控制項與檢視器</translation>
    </message>
    <message>
        <source>Step &amp;vectors</source>
        <translation>更新向量(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Hessian eigenvectors</source>
        <translation>Hessian 特徵向量(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Batch loss L_b on the contour map</source>
        <translation>在等高線圖上顯示批次損失 L_b(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Testing loss on the contour map</source>
        <translation>在等高線圖上顯示測試損失(&amp;T)</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主題</translation>
    </message>
    <message>
        <source>Light theme</source>
        <translation>淺色主題</translation>
    </message>
    <message>
        <source>&amp;Grid resolution</source>
        <translation>網格解析度(&amp;G)</translation>
    </message>
    <message>
        <source>Reset &amp;camera</source>
        <translation>重設視角(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Language (after a restart)</source>
        <translation>語言（重新啟動後生效）(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>課程(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Update rules</source>
        <translation>更新規則(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;About Descent Lab</source>
        <translation>關於 Descent Lab(&amp;A)</translation>
    </message>
    <message>
        <source>Scenario</source>
        <translation>情境</translation>
    </message>
    <message>
        <source>computing…  {status}</source>
        <translation>計算中…  {status}</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>start a new scenario</source>
        <translation>開始新的情境</translation>
    </message>
    <message>
        <source>open another scenario</source>
        <translation>開啟另一個情境</translation>
    </message>
    <message>
        <source>Open scenario</source>
        <translation>開啟情境</translation>
    </message>
    <message>
        <source>Cannot open scenario</source>
        <translation>無法開啟情境</translation>
    </message>
    <message>
        <source>open the lesson</source>
        <translation>開啟這一課</translation>
    </message>
    <message>
        <source>Save scenario</source>
        <translation>儲存情境</translation>
    </message>
    <message>
        <source>Cannot save scenario</source>
        <translation>無法儲存情境</translation>
    </message>
    <message>
        <source>{path}: a folder, not a file name; choose a file to write</source>
        <translation>{path}：這是資料夾，不是檔名；請選擇要寫入的檔案</translation>
    </message>
    <message>
        <source>saved {path}</source>
        <translation>已儲存 {path}</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <source>The runs are still being computed, or a run could not start; try again when every run has a path.</source>
        <translation>路徑還在計算中，或有一條路徑無法開始；請等每條路徑都算好後再試一次。</translation>
    </message>
    <message>
        <source>trajectories</source>
        <translation>軌跡</translation>
    </message>
    <message>
        <source>Export trajectories ({kind})</source>
        <translation>匯出軌跡（{kind}）</translation>
    </message>
    <message>
        <source>{kind} (*.{ext});;All files (*)</source>
        <translation>{kind} (*.{ext});;所有檔案 (*)</translation>
    </message>
    <message>
        <source>Writing {name}…</source>
        <translation>正在寫入 {name}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export trajectories</source>
        <translation>匯出軌跡</translation>
    </message>
    <message>
        <source>exported {path}</source>
        <translation>已匯出 {path}</translation>
    </message>
    <message>
        <source>{path}: cannot write ({message})</source>
        <translation>{path}：無法寫入（{message}）</translation>
    </message>
    <message>
        <source>Export animation</source>
        <translation>匯出動畫</translation>
    </message>
    <message>
        <source>Exporting animations is not available in this version.</source>
        <translation>這個版本無法匯出動畫。</translation>
    </message>
    <message>
        <source>The window will be in {language} after a restart.</source>
        <translation>重新啟動後，視窗會改用{language}。</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>關於 {app}</translation>
    </message>
    <message>
        <source>close the window</source>
        <translation>關閉視窗</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>尚未儲存的變更</translation>
    </message>
    <message>
        <source>{name} has unsaved changes. Save them before you {action}?</source>
        <translation>「{name}」有尚未儲存的變更。要先儲存再{action}嗎？</translation>
    </message>
    <message>
        <source>{name}: nested too deeply to be read ({error})</source>
        <translation>{name}：巢狀層數太深，無法讀取（{error}）</translation>
    </message>
    <message>
        <source>Scenarios (*.toml);;All files (*)</source>
        <translation>情境 (*.toml);;所有檔案 (*)</translation>
    </message>
</context>
</TS>
